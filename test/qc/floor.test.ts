import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentStatusEntry, GatewayEvent } from '../../src/gateway';
import {
  buildFloor,
  compareAgents,
  countByState,
  FLOOR_STATES,
  type Floor,
  type FloorAgent,
  type FloorState,
  foldEvent,
  foldEvents,
  gatewayMonitorRecords,
  maskNumber,
  orderAgents,
  refreshFloor,
  stateChangeOf,
  withMonitors,
} from '../../src/qc/floor';

const T0 = Date.UTC(2026, 10, 25, 9);

const notify = (agent: string, subtype: string, content: Record<string, string> = {}): GatewayEvent => ({
  type: 'QC_AgentState_Notify',
  workNo: '1001',
  content: { subtype: `QC_AgentState_${subtype}`, monitoredagent: agent, ...content },
});
const own = (agent: string, type: string, content: unknown = null): GatewayEvent => ({
  type,
  workNo: agent,
  content,
});

const ENTRIES: AgentStatusEntry[] = [
  { workNo: '1001', name: '1001', status: 4, ctiStatus: 1 },
  { workNo: '2001', name: 'Ann', status: 4, ctiStatus: 1 },
  { workNo: '2005', status: 7, ctiStatus: 5, sinceMs: T0 - 60_000, callerNumber: '13900002005' },
  { workNo: '2006', status: 7, ctiStatus: 4, callerNumber: '13900002006' },
  { workNo: '2007', status: 2 },
  { workNo: '2008', status: 8 },
  { workNo: '2009', ctiStatus: 6 },
  { workNo: '2010' },
];

describe('building the floor', () => {
  it('reads states from T1, T2 (answering = ringing), names only when they differ from the ID', () => {
    const floor = buildFloor(ENTRIES, [], T0);
    const state = (id: string) => floor.agents.get(id)?.state;
    expect([...floor.agents.keys()]).toHaveLength(8);
    expect(state('2005')).toBe('talking');
    expect(state('2006')).toBe('ringing');
    expect(state('2007')).toBe('signed-out');
    expect(state('2008')).toBe('rest');
    expect(state('2009')).toBe('wrap-up');
    expect(state('2010')).toBe('unknown');
    expect(floor.agents.get('1001')?.name).toBeUndefined();
    expect(floor.agents.get('2001')?.name).toBe('Ann');
    expect(floor.agents.get('2005')).toMatchObject({ since: T0 - 60_000, callerNumber: '13900002005' });
    expect(countByState(floor)).toMatchObject({ talking: 1, ringing: 1, idle: 2, 'signed-out': 1 });
  });

  it('attaches monitors from qc-slack records and the gateway, one per who, ignoring other agents', () => {
    const floor = buildFloor(
      ENTRIES,
      [
        { agentId: '2005', kind: 'slack-user', who: 'U1', mode: 'listen' },
        { agentId: '2005', kind: 'slack-user', who: 'U1', mode: 'insert' },
        { agentId: '2005', kind: 'inspector', who: '1003' },
        { agentId: '9999', kind: 'slack-user', who: 'U2', mode: 'listen' },
      ],
      T0,
    );
    expect(floor.agents.get('2005')?.monitors).toEqual([
      { kind: 'slack-user', who: 'U1', mode: 'insert' },
      { kind: 'inspector', who: '1003' },
    ]);
    const cleared = withMonitors(
      floor,
      [{ agentId: '2001', kind: 'slack-user', who: 'U3', mode: 'whisper' }],
      T0,
    );
    expect(cleared.agents.get('2005')?.monitors).toEqual([]);
    expect(cleared.agents.get('2001')?.monitors).toEqual([
      { kind: 'slack-user', who: 'U3', mode: 'whisper' },
    ]);
    expect(floor.agents.get('2005')?.monitors).toHaveLength(2); // the old floor is untouched
  });
});

describe('gateway monitors', () => {
  it('allagent entries that name a monitor become inspector records; bare entries none', () => {
    expect(
      gatewayMonitorRecords([{ workNo: '2005', monitoredBy: '1003', mode: 'listen' }, { workNo: '2006' }]),
    ).toEqual([{ agentId: '2005', kind: 'inspector', who: '1003', mode: 'listen' }]);
  });
});

describe('refreshing', () => {
  it('keeps the since and number qc-slack saw where the state did not change; the gateway wins otherwise', () => {
    const shown = foldEvents(
      buildFloor(ENTRIES, [], T0),
      [notify('2001', 'Active', { caller: '13900004242' }), notify('2008', 'Idle')],
      T0 + 1000,
    );
    const fresh = refreshFloor(
      shown,
      [
        { workNo: '2001', status: 7 },
        { workNo: '2008', status: 3 },
        { workNo: '2011', status: 4 },
      ],
      [],
      T0 + 5000,
    );
    expect(fresh.agents.get('2001')).toMatchObject({
      state: 'talking',
      since: T0 + 1000,
      callerNumber: '13900004242',
    });
    expect(fresh.agents.get('2008')).toMatchObject({ state: 'busy' });
    expect(fresh.agents.get('2008')?.since).toBeUndefined();
    expect([...fresh.agents.keys()]).toEqual(['2001', '2008', '2011']);
    expect(fresh.asOf).toBe(T0 + 5000);
  });
});

describe('folding events', () => {
  it('QC_AgentState_Notify and own events move state, caller and since; the rest leaves the floor as is', () => {
    const floor = buildFloor(ENTRIES, [], T0);
    const ringing = foldEvent(
      floor,
      notify('2001', 'WaitAlerting', { caller: '+86 139 0000 4242' }),
      T0 + 1000,
    );
    expect(ringing.agents.get('2001')).toMatchObject({ state: 'ringing', since: T0 + 1000 });
    expect(ringing.agents.get('2001')?.callerNumber).toBe('+86 139 0000 4242');
    const talking = foldEvent(ringing, notify('2001', 'Active'), T0 + 2000);
    expect(talking.agents.get('2001')).toMatchObject({ state: 'talking', callerNumber: '+86 139 0000 4242' });
    const noNumber = foldEvent(floor, notify('1001', 'Active'), T0);
    expect(noNumber.agents.get('1001')).toMatchObject({ state: 'talking', since: T0 });
    expect(noNumber.agents.get('1001')?.callerNumber).toBeUndefined();
    const again = foldEvent(talking, notify('2001', 'Active'), T0 + 3000);
    expect(again).toBe(talking); // same state: nothing changed, since stays
    const hungUp = foldEvent(again, own('2001', 'AgentEvent_Call_Release', 'call-1'), T0 + 4000);
    expect(hungUp.agents.get('2001')?.callerNumber).toBeUndefined();
    expect(hungUp.agents.get('2001')?.state).toBe('idle');
    const stamped = foldEvent(hungUp, { ...own('2001', 'AgentState_Work'), genTime: T0 + 3500 }, T0 + 9000);
    expect(stamped.agents.get('2001')?.since).toBe(T0 + 3500);
    for (const e of [
      notify('2001', 'RecordBegin'),
      notify('9999', 'Active'),
      notify('2001', 'Nonsense'),
      own('2001', 'AgentOther_PhoneAlerting'),
      { type: 'QC_AgentState_Notify', workNo: '1001', content: null },
    ])
      expect(foldEvent(stamped, e, T0 + 10_000)).toBe(stamped);
  });

  it('a burst of 100 changes folds to the final states', () => {
    const ids = ['2001', '2005', '2006', '2007', '2008'];
    const subtypes = ['Idle', 'Busy', 'Active', 'WaitAnswer', 'Rest', 'Work', 'Logout'];
    const events = Array.from({ length: 100 }, (_, i) =>
      notify(ids[i % ids.length] as string, subtypes[(i * 3) % subtypes.length] as string),
    );
    const floor = foldEvents(buildFloor(ENTRIES, [], T0), events, T0 + 1);
    const expected: Record<string, FloorState> = {};
    for (const e of events) {
      const c = stateChangeOf(e);
      if (c) expected[c.agentId] = c.state;
    }
    for (const id of ids) expect(floor.agents.get(id)?.state).toBe(expected[id]);
  });
});

const SUBTYPES = [
  'Login',
  'Logout',
  'Idle',
  'Busy',
  'Work',
  'Rest',
  'Active',
  'WaitAnswer',
  'HungUp',
  'Mute',
];
const OWN = [
  'AgentState_Ready',
  'AgentEvent_Talking',
  'AgentEvent_Ringing',
  'AgentState_SetRest_Success',
  'X',
];
const IDS = ['2001', '2002', '2003', '2004'];

const arbEvent: fc.Arbitrary<GatewayEvent> = fc.oneof(
  fc.tuple(fc.constantFrom(...IDS), fc.constantFrom(...SUBTYPES)).map(([id, s]) => notify(id, s)),
  fc.tuple(fc.constantFrom(...IDS), fc.constantFrom(...OWN)).map(([id, t]) => own(id, t, { caller: '139' })),
);

describe('folding, property-based', () => {
  it('folding any event sequence in order gives the last state per agent', () => {
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 200 }), (events) => {
        const start = buildFloor(
          IDS.map((workNo) => ({ workNo, status: 4 })),
          [],
          T0,
        );
        const floor = foldEvents(start, events, T0 + 1);
        const oneByOne = events.reduce((f, e) => foldEvent(f, e, T0 + 1), start);
        expect([...floor.agents.values()]).toEqual([...oneByOne.agents.values()]);
        for (const id of IDS) {
          const last = events
            .map(stateChangeOf)
            .filter((c) => c?.agentId === id)
            .at(-1);
          expect(floor.agents.get(id)?.state).toBe(last?.state ?? 'idle');
          const onCall = last?.state === 'talking' || last?.state === 'ringing';
          if (!onCall) expect(floor.agents.get(id)?.callerNumber).toBeUndefined();
        }
      }),
    );
  });
});

const arbAgent: fc.Arbitrary<FloorAgent> = fc.record({
  id: fc.integer({ min: 1, max: 99_999 }).map(String),
  state: fc.constantFrom(...FLOOR_STATES),
  since: fc.option(fc.integer({ min: T0 - 3_600_000, max: T0 }), { nil: undefined }),
  monitors: fc.constant([]),
});
const arbAgents = fc.uniqueArray(arbAgent, { selector: (a) => a.id, maxLength: 60 });

describe('ordering', () => {
  it('is total and stable: any order of the same agents sorts the same; longest call first', () => {
    fc.assert(
      fc.property(arbAgents, fc.func(fc.integer()), (agents, key) => {
        const sorted = orderAgents(agents);
        const shuffled = orderAgents([...agents].sort((a, b) => key(a.id) - key(b.id) || 0));
        expect(shuffled.map((a) => a.id)).toEqual(sorted.map((a) => a.id));
        for (const a of agents)
          for (const b of agents) {
            const ab = Math.sign(compareAgents(a, b));
            expect(ab).toBe(-Math.sign(compareAgents(b, a)) || 0);
            if (a !== b) expect(ab).not.toBe(0);
          }
        const states = sorted.map((a) => a.state);
        const firstOther = states.findIndex((s) => s !== 'talking' && s !== 'ringing');
        if (firstOther >= 0)
          expect(states.slice(firstOther).some((s) => s === 'talking' || s === 'ringing')).toBe(false);
        const talking = sorted.filter((a) => a.state === 'talking' && a.since !== undefined);
        expect(talking.map((a) => a.since)).toEqual(
          [...talking.map((a) => a.since)].sort((x, y) => (x ?? 0) - (y ?? 0)),
        );
      }),
    );
  });

  it('puts talking (longest first), then ringing, then the others', () => {
    const floor: Floor = buildFloor(
      [
        { workNo: '2003', status: 4 },
        { workNo: '2002', status: 7, ctiStatus: 4, sinceMs: T0 - 99_000 },
        { workNo: '2001', status: 7, sinceMs: T0 - 1000 },
        { workNo: '2004', status: 7, sinceMs: T0 - 5000 },
        { workNo: '2005', status: 7 },
      ],
      [],
      T0,
    );
    expect(orderAgents(floor).map((a) => a.id)).toEqual(['2004', '2001', '2005', '2002', '2003']);
  });
});

describe('maskNumber', () => {
  it('keeps only the last 4 digits', () => {
    expect(maskNumber('13900002005')).toBe('•••• 2005');
    expect(maskNumber('+86 139-0000-4242')).toBe('•••• 4242');
    expect(maskNumber('1234')).toBe('••••');
    expect(maskNumber(undefined)).toBe('••••');
    expect(maskNumber('<@U123>&')).toBe('••••');
  });

  it('never shows more than 4 digits of any input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(maskNumber(s).replace(/\D/g, '').length).toBeLessThanOrEqual(4);
      }),
    );
  });
});

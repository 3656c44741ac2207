import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentStatusEntry, GatewayEvent } from '../../src/gateway';
import { Secret } from '../../src/gateway/secret';
import { FLOOR_LIVE_MS, type FloorView } from '../../src/qc/floor';
import { FloorLiveHub, type InspectorFloors } from '../../src/qc/floor-live';
import { NotifierBusyError } from '../../src/qc/notifier-busy';
import type { Gateway, HomeView } from '../../src/qc/ports';
import { flushPendingEvents } from '../../src/qc/thread-events';
import type { FloorRecord, SessionRecord } from '../../src/store/types';
import { FakeGateway } from '../helpers/fake-gateway';
import { captureLogger } from '../helpers/log-capture';
import { MemoryStore } from '../helpers/memory-store';
import { RecordingNotifier } from '../helpers/recording-notifier';

const T0 = Date.UTC(2026, 10, 27, 9);

/** The recording notifier, with a way to answer 'gone' or Slack's "wait" (Retry-After) to redraws. */
class FloorNotifier extends RecordingNotifier {
  answer: 'updated' | 'gone' | { busyUntil: number } = 'updated';
  readonly homes: HomeView[] = [];
  /** Runs inside each redraw (a test moves the clock: the call waited its turn in Slack's pacing). */
  during?: () => void;
  override async updateFloor(at: { channel: string; ts: string }, view: FloorView) {
    this.during?.();
    const a = this.answer;
    if (typeof a === 'object') throw new NotifierBusyError('slack said wait', a.busyUntil);
    if (a === 'gone') return 'gone' as const;
    return super.updateFloor(at, view);
  }
  /** The base takes no arguments: read the Notifier's (teamId, view). */
  override async publishHome(...args: unknown[]): Promise<void> {
    this.homes.push(args[1] as HomeView);
  }
  /** The redraws (not the posts), in order. */
  get redraws() {
    return this.floors.filter((f) => !f.posted);
  }
}

const agents = (n: number, from = 2001): AgentStatusEntry[] =>
  Array.from({ length: n }, (_, i) => ({ workNo: String(from + i), status: 4, ctiStatus: 1 }));
const notify = (agent: string, subtype: string, caller?: string): GatewayEvent => ({
  type: 'QC_AgentState_Notify',
  workNo: '1001',
  content: { subtype: `QC_AgentState_${subtype}`, monitoredagent: agent, ...(caller ? { caller } : {}) },
});

let t: number;
let store: MemoryStore;
let gateway: FakeGateway;
let notifier: FloorNotifier;
let hub: FloorLiveHub;
let session: SessionRecord;
let floors: InspectorFloors;

async function openFloor(over: Partial<FloorRecord> = {}): Promise<FloorRecord> {
  return store.floors.putFloor({
    teamId: 'T',
    floorId: 'D1:ts-1',
    userId: 'U1',
    inspectorId: '1001',
    channel: 'D1',
    ts: 'ts-1',
    scope: { kind: 'vdn' },
    page: 0,
    openedAt: t,
    ...over,
  });
}

const stateOf = (view: FloorView | undefined, id: string) => view?.floor.agents.get(id)?.state;
const calls = (method: string) => gateway.calls.filter((c) => c.method === method);
const advance = async (ms: number) => {
  t += ms;
  await hub.drawDue();
};

beforeEach(async () => {
  t = T0;
  store = new MemoryStore();
  gateway = new FakeGateway();
  gateway.floor = [{ workNo: '1001', status: 4 }, ...agents(10)];
  notifier = new FloorNotifier();
  const deps = {
    store,
    gateway,
    notifier,
    logger: captureLogger(),
    now: () => t,
    adminUserIds: new Set<string>(),
    defaultPermissions: [],
  };
  hub = new FloorLiveHub(deps, {
    timers: false,
    policy: { minGapMs: 3_000, perWindow: 50, windowMs: 60_000 },
  });
  session = await store.startSession({
    inspectorId: '1001',
    sessionId: 's1',
    teamId: 'T',
    userId: 'U1',
    guid: 'g',
    mode: 'poll',
    signedInAt: T0,
    guidUpdatedAt: T0,
  });
  floors = hub.follow(() => session);
});

describe('live floors (the keeper keeps an inspector’s open floors live)', () => {
  it('loads a floor once per run and subscribes its agents once (not the inspector itself)', async () => {
    await openFloor();
    await floors.refresh();
    t += 5_000;
    await floors.refresh();
    expect(calls('allAgentStatus')).toHaveLength(1);
    expect(gateway.made({ except: ['allAgentStatus'] })).toEqual([
      `beginMonitor(${agents(10)
        .map((a) => a.workNo)
        .join(' ')})`,
    ]);
  });

  it('a Guid the gateway rotates on a floor call is stored and handed to the keeper’s loop', async () => {
    let loopSession = session;
    const mine = hub.follow(
      () => loopSession,
      (fresh) => {
        loopSession = fresh;
      },
    );
    const begin = gateway.beginMonitor.bind(gateway);
    const port: Gateway = gateway;
    port.beginMonitor = async (s, ids) => ({ ...(await begin(s, ids)), newGuid: new Secret('g-rotated') });
    await openFloor();
    await mine.refresh();
    expect((await store.getSession('1001'))?.guid).toBe('g-rotated');
    expect(loopSession.guid).toBe('g-rotated');
  });

  it('a burst of 100 changes becomes one redraw showing the final states', async () => {
    await openFloor();
    await floors.refresh();
    t += 500;
    const burst: GatewayEvent[] = [];
    for (let i = 0; i < 100; i++) {
      const agent = String(2001 + (i % 10));
      burst.push(notify(agent, i < 90 ? 'WaitAlerting' : 'Active', '13900001234'));
    }
    for (const ev of burst) floors.fold([ev]);
    await advance(0);
    expect(notifier.redraws).toHaveLength(0); // within 3 s of the post
    await advance(2_500);
    expect(notifier.redraws).toHaveLength(1);
    const view = notifier.redraws[0]?.view;
    for (const a of agents(10)) expect(stateOf(view, a.workNo)).toBe('talking');
    await advance(10_000);
    expect(notifier.redraws).toHaveLength(1);
  });

  it('redraws a message at most once per 3 s while changes keep coming', async () => {
    await openFloor();
    await floors.refresh();
    const drawnAt: number[] = [];
    for (let i = 0; i < 300; i++) {
      floors.fold([notify('2003', i % 2 ? 'Idle' : 'Busy')]);
      const before = notifier.redraws.length;
      await advance(100);
      if (notifier.redraws.length > before) drawnAt.push(t);
    }
    expect(drawnAt.length).toBeGreaterThanOrEqual(9);
    for (let i = 1; i < drawnAt.length; i++)
      expect((drawnAt[i] as number) - (drawnAt[i - 1] as number)).toBeGreaterThanOrEqual(3_000);
    expect(stateOf(notifier.redraws.at(-1)?.view, '2003')).toBe('idle');
  });

  it('the 3 s count from when Slack took a redraw that waited its turn, not from when it was started', async () => {
    await openFloor();
    await floors.refresh();
    const tookAt: number[] = [];
    notifier.during = () => {
      if (tookAt.length % 2 === 0) t += 2_000; // every other call waited in the pacer
      tookAt.push(t);
    };
    for (let i = 0; i < 100; i++) {
      floors.fold([notify('2003', i % 2 ? 'Idle' : 'Busy')]);
      await advance(100);
    }
    expect(tookAt.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < tookAt.length; i++)
      expect((tookAt[i] as number) - (tookAt[i - 1] as number)).toBeGreaterThanOrEqual(3_000);
  });

  it('with the keeper’s own policy, 20 open floors share ≤ 50 redraws a minute, spread evenly', async () => {
    const paced = new FloorLiveHub(
      { store, gateway, notifier, logger: captureLogger(), now: () => t },
      { timers: false },
    );
    const mine = paced.follow(() => session);
    for (let i = 0; i < 20; i++) await openFloor({ floorId: `D1:ts-${i}`, ts: `ts-${i}` });
    await mine.refresh();
    const at: number[] = [];
    for (let i = 0; i < 610; i++) {
      mine.fold([notify(String(2001 + (i % 10)), Math.floor(i / 10) % 2 ? 'Idle' : 'Busy')]);
      t += 100;
      const before = notifier.redraws.length;
      await paced.drawDue();
      for (let n = before; n < notifier.redraws.length; n++) at.push(t);
    }
    expect(at.length).toBeGreaterThanOrEqual(45);
    expect(at.length).toBeLessThanOrEqual(50);
    for (let i = 5; i < at.length; i++)
      expect((at[i] as number) - (at[i - 5] as number)).toBeGreaterThanOrEqual(6_100);
  });

  it('after 30 minutes: drawn once more as paused, pausedAt stored, endmonitor; then no more redraws', async () => {
    const rec = await openFloor();
    await floors.refresh();
    t = rec.openedAt + FLOOR_LIVE_MS;
    await floors.refresh();
    expect(calls('endMonitor')).toHaveLength(1);
    expect(calls('endMonitor')[0]?.args[0]).toBe(
      agents(10)
        .map((a) => a.workNo)
        .join(' '),
    );
    expect((await store.floors.getFloor('T', rec.floorId))?.pausedAt).toBe(t);
    await advance(3_000);
    expect(notifier.redraws.at(-1)?.view.paused).toBe(true);
    const drawn = notifier.redraws.length;
    floors.fold([notify('2001', 'Active')]);
    await advance(10_000);
    await floors.refresh();
    await advance(10_000);
    expect(notifier.redraws).toHaveLength(drawn);
  });

  it('Refresh (openedAt moved, pausedAt cleared) reads the floor again and subscribes again', async () => {
    const rec = await openFloor();
    await floors.refresh();
    t = rec.openedAt + FLOOR_LIVE_MS;
    await floors.refresh();
    await advance(3_000);
    const paused = (await store.floors.getFloor('T', rec.floorId)) as FloorRecord;
    gateway.floor = [{ workNo: '1001', status: 4 }, ...agents(10).map((a) => ({ ...a, status: 8 }))];
    await store.floors.updateFloor(paused, { openedAt: t, pausedAt: null });
    await floors.refresh();
    expect(calls('allAgentStatus')).toHaveLength(2);
    expect(calls('beginMonitor')).toHaveLength(2);
    floors.fold([notify('2002', 'Active')]);
    await advance(3_000);
    const view = notifier.redraws.at(-1)?.view;
    expect(view?.paused).toBeFalsy();
    expect(stateOf(view, '2001')).toBe('rest');
    expect(stateOf(view, '2002')).toBe('talking');
  });

  it('a page chosen meanwhile (page button) is the page the next redraws show', async () => {
    const rec = await openFloor();
    await floors.refresh();
    await store.floors.updateFloor(rec, { page: 2 });
    floors.fold([notify('2001', 'Active')]); // before the keeper lists the floors again
    await advance(3_000);
    expect(notifier.redraws.at(-1)?.view.page).toBe(2);
  });

  it('a deleted message is dropped: the record is deleted and nothing more is drawn', async () => {
    const rec = await openFloor();
    await floors.refresh();
    notifier.answer = 'gone';
    floors.fold([notify('2001', 'Active')]);
    await advance(3_000);
    expect(await store.floors.getFloor('T', rec.floorId)).toBeUndefined();
    notifier.answer = 'updated';
    floors.fold([notify('2001', 'Idle')]);
    await floors.refresh();
    await advance(10_000);
    expect(notifier.redraws).toHaveLength(0);
  });

  it('honours Retry-After: nothing is drawn before it has passed, then the latest state', async () => {
    await openFloor();
    await floors.refresh();
    notifier.answer = { busyUntil: t + 3_000 + 20_000 };
    floors.fold([notify('2001', 'Active')]);
    await advance(3_000);
    notifier.answer = 'updated';
    floors.fold([notify('2001', 'Rest')]);
    await advance(10_000);
    expect(notifier.redraws).toHaveLength(0);
    await advance(10_000);
    expect(notifier.redraws).toHaveLength(1);
    expect(stateOf(notifier.redraws[0]?.view, '2001')).toBe('rest');
  });

  it('a session that ended pauses its floors when the keeper leaves', async () => {
    const rec = await openFloor();
    await floors.refresh();
    await store.endSession('1001', 's1', 'signed out', t);
    await floors.leave();
    expect((await store.floors.getFloor('T', rec.floorId))?.pausedAt).toBe(t);
    await advance(3_000);
    expect(notifier.redraws.at(-1)?.view.paused).toBe(true);
  });

  it('a run that ends with the session alive leaves the floor live for the next run', async () => {
    const rec = await openFloor();
    await floors.refresh();
    await floors.leave();
    expect((await store.floors.getFloor('T', rec.floorId))?.pausedAt).toBeUndefined();
  });

  it('over 500 agents: 500 are subscribed (signed-in first, then by ID) and the floor says so', async () => {
    // 100 signed out (left out first), then the highest IDs.
    gateway.floor = agents(600, 3001).map((a, i) => (i < 100 ? { ...a, status: 2, ctiStatus: 0 } : a));
    await openFloor();
    await floors.refresh();
    const subscribed = String(calls('beginMonitor')[0]?.args[0]).split(' ');
    expect(subscribed).toHaveLength(500);
    expect(subscribed[0]).toBe('3101');
    expect(subscribed.at(-1)).toBe('3600');
    await advance(3_000);
    expect(notifier.redraws.at(-1)?.view.notes?.[0]).toMatch(/first 500 agents.*100 others/);
  });

  it('qc-slack’s monitoring changes show on the floor (read again on each refresh)', async () => {
    await openFloor();
    await floors.refresh();
    await store.startSession({ ...session, inspectorId: '1002', sessionId: 's2', userId: 'U2' });
    await store.putMonitoring(
      { inspectorId: '1002', teamId: 'T', agentId: '2004', mode: 'listen', confirmed: true },
      0,
    );
    t += 5_000;
    await floors.refresh();
    await advance(0);
    const monitors = notifier.redraws.at(-1)?.view.floor.agents.get('2004')?.monitors;
    expect(monitors).toEqual([{ kind: 'slack-user', who: 'U2', mode: 'listen' }]);
  });

  it('a Home floor is drawn on the Home tab', async () => {
    await openFloor({ floorId: 'home:U1' });
    const homeRec = await store.floors.getFloor('T', 'home:U1');
    if (homeRec) await store.floors.putFloor({ ...homeRec, channel: undefined, ts: undefined });
    await floors.refresh();
    floors.fold([notify('2001', 'Active')]);
    await advance(3_000);
    expect(notifier.homes.map((h) => h.userId)).toEqual(['U1']);
  });
});

describe('agents’ state notices leave the thread', () => {
  it('a QC_AgentState_Notify is not posted as a thread line (the floor shows it)', async () => {
    await store.savePending({
      inspectorId: '1001',
      sessionId: 's1',
      seq: 1,
      event: notify('2005', 'Active'),
      receivedAt: t,
    });
    await store.savePending({
      inspectorId: '1001',
      sessionId: 's1',
      seq: 2,
      event: { type: 'AgentOther_PhoneAlerting', workNo: '1001', content: null },
      receivedAt: t,
    });
    const deps = { store, gateway, notifier, logger: captureLogger(), now: () => t };
    expect(await flushPendingEvents(deps, session)).toBe('done');
    expect(notifier.replies.flatMap((r) => r.lines)).toEqual(['☎️ Your phone is ringing: answer it to join']);
  });
});

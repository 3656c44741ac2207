import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, type RunningSimulator, startSimulator } from '../../simulator/index';
import {
  contentField,
  GatewayClient,
  type GatewayEvent,
  GatewayInputError,
  type GatewayOutcome,
  type GatewaySession,
  MAX_MONITOR_AGENTS,
  parseAllAgentMonitors,
  parseAllAgentStatus,
} from '../../src/gateway';
import { captureLogger } from '../helpers/log-capture';

/** The floor interfaces (issue 15) against the simulator over HTTPS, as client.contract.test.ts does. */
describe('floor interfaces over HTTPS', () => {
  let sim: RunningSimulator;
  let client: GatewayClient;
  const logs = captureLogger();

  function ok<T>(outcome: GatewayOutcome<T>): T {
    if (!outcome.ok) throw new Error(`expected success, got ${outcome.retcode}`);
    return outcome.data;
  }

  async function signIn(agentId = '1001'): Promise<GatewaySession> {
    const out = await client.signIn(agentId, {
      password: 'simulator',
      phone: `7${agentId.padStart(4, '0')}`,
    });
    return { agentId, guid: ok(out).guid };
  }

  async function drain(session: GatewaySession): Promise<GatewayEvent[]> {
    const events: GatewayEvent[] = [];
    for (let i = 0; i < 100; i++) {
      const out = await client.pollEvent(session);
      if (out.newGuid) session.guid = out.newGuid;
      const { event } = ok(out);
      if (!event) return events;
      events.push(event);
    }
    throw new Error('event queue never drained');
  }

  beforeAll(async () => {
    sim = await startSimulator({
      clock: new FakeClock(Date.UTC(2026, 10, 25, 9)),
      pollHoldMs: 30,
      quiet: true,
    });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.sim.reset();
    client = new GatewayClient({
      baseUrl: sim.url,
      caPem: sim.caPem,
      logger: logs,
      requestTimeoutMs: 1_000,
      pollTimeoutMs: 2_000,
      readRetries: 1,
      readRetryMinDelayMs: 10,
    });
  });
  afterEach(async () => {
    await client.destroy();
  });

  it('allAgentStatus lists the VDN with states: talking, idle, signed out, the inspector itself', async () => {
    const s = await signIn();
    const data = ok(await client.allAgentStatus(s));
    const byId = new Map(data.agents.map((a) => [a.workNo, a]));
    expect(data.skipped).toBe(0);
    expect(byId.has('3001')).toBe(false); // another VDN
    expect(byId.get('1001')?.status).toBe(4);
    expect(byId.get('2005')).toMatchObject({ status: 7, ctiStatus: 5 });
    expect(byId.get('2001')).toMatchObject({ status: 4, ctiStatus: 1 });
    expect(byId.get('1002')?.status).toBe(2);
    expect(data.skillFilter).toBeUndefined();
  });

  it('allAgentStatus with a skill: the agents configured for that queue (a second read), not the whole VDN', async () => {
    const s = await signIn();
    const data = ok(await client.allAgentStatus(s, { skillId: '1' }));
    expect(data.skillFilter).toBe('applied');
    expect(data.agents.map((a) => a.workNo).sort()).toEqual(
      ['2001', '2002', '2003', '2004', '2005', '2006', '2007', '2008', '2009', '2010'].sort(),
    );
    expect(data.agents.find((a) => a.workNo === '2005')).toMatchObject({ status: 7 });
    await expect(client.allAgentStatus(s, { skillId: '1;2' })).rejects.toBeInstanceOf(GatewayInputError);
  });

  it('allAgentStatus with a skill on a gateway that does not say who is in it: every agent, "unavailable"', async () => {
    const s = await signIn();
    sim.sim.injectFault({ interface: 'queryAgentByConfigedSkill', kind: 'status', status: 404 });
    const data = ok(await client.allAgentStatus(s, { skillId: '1' }));
    expect(data.skillFilter).toBe('unavailable');
    expect(data.agents.length).toBeGreaterThan(20);
    sim.sim.injectFault({ interface: 'queryAgentByConfigedSkill', kind: 'retcode', retcode: '100-019' });
    expect(ok(await client.allAgentStatus(s, { skillId: '2' })).skillFilter).toBe('unavailable');
  });

  it('allAgentStatus: a non-zero retcode is a typed failure', async () => {
    const s = await signIn();
    sim.sim.injectFault({ interface: 'queryAllAgentStatus', kind: 'retcode', retcode: '900-003' });
    expect(await client.allAgentStatus(s)).toMatchObject({ ok: false, retcode: '900-003' });
  });

  it('beginMonitor → QC_AgentState_Notify for those agents; allagent lists them; endMonitor stops it', async () => {
    const s = await signIn();
    await drain(s);
    ok(await client.beginMonitor(s, ['2001', '2002', '2001']));
    const monitors = ok(await client.allAgentMonitors(s));
    expect(monitors).toEqual({
      supported: true,
      skipped: 0,
      agents: [{ workNo: '2001' }, { workNo: '2002' }],
    });
    sim.sim.startCall('2001', { caller: '13900002001' });
    await sim.sim.settled();
    const notes = (await drain(s)).filter((e) => e.type === 'QC_AgentState_Notify');
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((e) => contentField(e, 'monitoredagent') === '2001')).toBe(true);
    ok(await client.endMonitor(s, ['2001', '2002']));
    expect(ok(await client.allAgentMonitors(s))).toMatchObject({ supported: true, agents: [] });
    sim.sim.endCall('2001');
    await sim.sim.settled();
    expect((await drain(s)).filter((e) => e.type === 'QC_AgentState_Notify')).toEqual([]);
  });

  it('beginMonitor refuses an empty list, a bad ID and more than 500 agents before any request', async () => {
    const s = await signIn();
    const before = sim.sim.requestLog.length;
    const many = Array.from({ length: MAX_MONITOR_AGENTS + 1 }, (_, i) => String(2001 + i));
    await expect(client.beginMonitor(s, [])).rejects.toBeInstanceOf(GatewayInputError);
    await expect(client.beginMonitor(s, ['2001;2002'])).rejects.toBeInstanceOf(GatewayInputError);
    await expect(client.endMonitor(s, many)).rejects.toThrow(/at most 500 agents/);
    expect(sim.sim.requestLog.length).toBe(before);
    ok(await client.beginMonitor(s, many.slice(0, MAX_MONITOR_AGENTS)));
  });

  it('beginMonitor without QC rights → 900-002, typed', async () => {
    const s = await signIn('1002');
    expect(await client.beginMonitor(s, ['2001'])).toMatchObject({ ok: false, retcode: '900-002' });
  });

  it('allAgentMonitors: a gateway without allagent (404) answers "not supported", not a crash', async () => {
    const s = await signIn();
    sim.sim.injectFault({ interface: 'queryAllMonitoredAgents', kind: 'status', status: 404 });
    expect(await client.allAgentMonitors(s)).toMatchObject({ ok: true, data: { supported: false } });
    sim.sim.injectFault({ interface: 'queryAllMonitoredAgents', kind: 'retcode', retcode: '900-001' });
    expect(await client.allAgentMonitors(s)).toMatchObject({ ok: false, retcode: '900-001' });
  });

  it('allAgentMonitors: other HTTP errors still throw', async () => {
    const s = await signIn();
    sim.sim.injectFault({ interface: 'queryAllMonitoredAgents', kind: 'status', status: 403 });
    await expect(client.allAgentMonitors(s)).rejects.toMatchObject({ kind: 'http-status', status: 403 });
  });
});

describe('floor answers parsed leniently', () => {
  const now = Date.UTC(2026, 10, 25, 9);

  it('reads the C# demo fields, numbers or strings, and skips entries without a work number', () => {
    const data = parseAllAgentStatus(
      [
        { workno: 2005, status: '7', ctiStatus: 5, name: 'Ann', groupName: 'g', caller: '13900002005' },
        { workno: '2006', status: 'x', currentstatetime: now - 5000, skilllist: { 1: 'a', 2: 'b' } },
        { workno: '2007', currentstatetime: '30', skillid: '2' },
        { name: 'no id' },
        'junk',
        null,
      ],
      now,
    );
    expect(data.skipped).toBe(3);
    expect(data.agents).toEqual([
      { workNo: '2005', name: 'Ann', status: 7, ctiStatus: 5, group: 'g', callerNumber: '13900002005' },
      { workNo: '2006', sinceMs: now - 5000, skills: ['1', '2'] },
      { workNo: '2007', sinceMs: now - 30_000, skills: ['2'] },
    ]);
    expect(parseAllAgentStatus([], now, '1')).toEqual({
      agents: [],
      skipped: 0,
      skillFilter: 'unavailable',
    });
  });

  it('filters by skill where entries carry skills; a wrapped list and an odd result read as lists', () => {
    const raw = {
      agents: [
        { workno: '2001', skillid: '1' },
        { workno: '2002', skills: [{ id: 2 }] },
      ],
    };
    expect(parseAllAgentStatus(raw, now, '2')).toMatchObject({
      agents: [{ workNo: '2002' }],
      skillFilter: 'applied',
    });
    expect(parseAllAgentStatus('nonsense', now)).toEqual({ agents: [], skipped: 0 });
    expect(parseAllAgentStatus([{ workno: '1', currentstatetime: now + 10_000 }], now).agents[0]).toEqual({
      workNo: '1',
    });
    const inSeconds = parseAllAgentStatus(
      [{ workno: '1', currentstatetime: (now - 90_000) / 1000, skillIds: ['3'] }],
      now,
    );
    expect(inSeconds.agents[0]).toEqual({ workNo: '1', sinceMs: now - 90_000, skills: ['3'] });
  });

  it('allagent: who monitors and how where the entry says', () => {
    expect(
      parseAllAgentMonitors([
        { workno: '2005', qcAgentId: 1001, qcType: 8 },
        { workNo: '2006', inspector: '1003', mode: 'Whisper' },
        2007,
        { nothing: true },
      ]),
    ).toEqual({
      supported: true,
      skipped: 1,
      agents: [
        { workNo: '2005', monitoredBy: '1001', mode: 'listen' },
        { workNo: '2006', monitoredBy: '1003', mode: 'whisper' },
        { workNo: '2007' },
      ],
    });
  });
});

/**
 * Traffic (issue 15 item 6): calls that start and end on their own on the simulator's clock — ringing,
 * talking, wrap-up, idle — with the agent's own events and QC_AgentState_Notify for inspectors who
 * beginmonitor'ed the agent; deterministic for a seed.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, type GatewayEvent, Simulator, type TrafficSettings } from '../../simulator/index';
import { type Harness, harness, types } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const AGENTS = Array.from({ length: 20 }, (_, i) => String(2001 + i));

/** Every traffic-made event of agents 2001–2020 (the scenario's calls of 2005/2006 make none). */
function agentEvents(sim: Simulator): GatewayEvent[] {
  return AGENTS.flatMap((id) => sim.takeEvents(id)).sort((x, y) => x.eventGenTime - y.eventGenTime);
}

function simWith(traffic: Partial<TrafficSettings> | boolean): Simulator {
  return new Simulator({ clock: new FakeClock(), traffic });
}

/** The calls started, as [time, agent, caller], from the Ringing events. */
function ringings(sim: Simulator, ms: number, step = 1_000): [number, string, string][] {
  const out: [number, string, string][] = [];
  for (let t = 0; t < ms; t += step) {
    sim.advance(step);
    for (const e of agentEvents(sim))
      if (e.eventType === 'AgentEvent_Ringing')
        out.push([e.eventGenTime, e.workNo, (e.content as { caller: string }).caller]);
  }
  return out;
}

describe('traffic on the fake clock', () => {
  it('is off by default: time passes, no call starts', () => {
    const sim = new Simulator({ clock: new FakeClock() });
    sim.advance(600_000);
    expect(agentEvents(sim)).toEqual([]);
    expect(sim.traffic.status()).toMatchObject({ on: false, started: 0 });
  });

  it('an agent goes ringing → talking → wrap-up → idle with the gateway events, at the times they happen', () => {
    const sim = simWith({ callsPerMinute: 6, meanTalkSeconds: 30, ringSeconds: 4, wrapUpSeconds: 10 });
    const t0 = sim.now();
    sim.advance(10 * 60_000);
    const events = agentEvents(sim);
    const first = events.find((e) => e.eventType === 'AgentEvent_Ringing') as GatewayEvent;
    expect(first).toBeDefined();
    const mine = events.filter((e) => e.workNo === first.workNo && e.eventGenTime >= first.eventGenTime);
    expect(types(mine).slice(0, 8)).toEqual([
      'AgentEvent_Ringing',
      'AgentEvent_Talking',
      'AgentEvent_Customer_Release',
      'AgentEvent_Call_Release',
      'AgentOther_PhoneRelease',
      'AgentState_Work',
      'AgentState_CancelWork_Success',
      'AgentState_Ready',
    ]);
    const [ring, talk, , , , work, , ready] = mine as GatewayEvent[];
    expect(ring?.eventGenTime).toBeGreaterThan(t0);
    // Ringing 2–6 s, at least 1 s of talk, exactly 10 s of wrap-up.
    expect((talk?.eventGenTime ?? 0) - (ring?.eventGenTime ?? 0)).toBeGreaterThanOrEqual(2_000);
    expect((talk?.eventGenTime ?? 0) - (ring?.eventGenTime ?? 0)).toBeLessThanOrEqual(6_000);
    expect((work?.eventGenTime ?? 0) - (talk?.eventGenTime ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect((ready?.eventGenTime ?? 0) - (work?.eventGenTime ?? 0)).toBe(10_000);
    const c = ring?.content as { caller: string; callid: string; called: string };
    expect(c.caller).toMatch(/^138[0-9]{8}$/);
    expect(c.callid).toMatch(/^[0-9]{10}-[0-9]+$/);
    expect(sim.traffic.status().started).toBeGreaterThan(20);
  });

  it('shows the states in between: a ringing call is not yet answered; wrap-up is state 5', () => {
    const sim = simWith({ callsPerMinute: 60, ringSeconds: 4 });
    let sawRinging = false;
    let sawWrapUp = false;
    for (let i = 0; i < 600; i++) {
      sim.advance(500);
      const snap = sim.snapshot();
      if (snap.calls.some((c) => c.answeredAt === undefined)) sawRinging = true;
      if (snap.agents.some((a) => a.state === 5)) sawWrapUp = true;
    }
    expect(sawRinging && sawWrapUp).toBe(true);
  });

  it('never touches the scenario calls (2005, 2006, 3001) nor inspectors', () => {
    const sim = simWith({ callsPerMinute: 120 });
    const before = sim.snapshot().calls.map((c) => c.callId);
    sim.advance(30 * 60_000);
    const now = sim.snapshot();
    for (const id of before) expect(now.calls.map((c) => c.callId)).toContain(id);
    expect(sim.takeEvents('2005')).toEqual([]);
    expect(now.agents.filter((a) => a.inspector).every((a) => !a.signedIn)).toBe(true);
  });

  it('off stops new calls; the calls in progress still end', () => {
    const sim = simWith({ callsPerMinute: 60, meanTalkSeconds: 20 });
    sim.advance(60_000);
    sim.traffic.set({ on: false });
    agentEvents(sim);
    sim.advance(30 * 60_000);
    const after = agentEvents(sim);
    expect(types(after)).not.toContain('AgentEvent_Ringing');
    expect(sim.snapshot().calls).toHaveLength(3); // only the scenario's calls are left
    expect(sim.snapshot().agents.filter((a) => a.state === 5)).toEqual([]);
  });

  it('is deterministic: the same seed gives the same calls; another seed other calls', () => {
    const a = ringings(simWith({ seed: 7, callsPerMinute: 30 }), 300_000);
    const b = ringings(simWith({ seed: 7, callsPerMinute: 30 }), 300_000, 7_000);
    const c = ringings(simWith({ seed: 8, callsPerMinute: 30 }), 300_000);
    expect(a.length).toBeGreaterThan(50);
    expect(b).toEqual(a); // clock steps of another size: the same calls at the same times
    expect(c).not.toEqual(a);
  });

  it('property: for any seed and rate, two runs give the same events', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 120 }), (seed, cpm) => {
        const run = () => {
          const sim = simWith({ seed, callsPerMinute: cpm, meanTalkSeconds: 20 });
          sim.advance(120_000);
          return agentEvents(sim);
        };
        expect(run()).toEqual(run());
      }),
      { numRuns: 25 },
    );
  });

  it('with a clock that cannot be advanced, runDue() (the server runs it every 100 ms) takes the due steps', () => {
    let t = 1_732_525_200_000;
    const sim = new Simulator({ clock: { now: () => t }, traffic: { callsPerMinute: 60 } });
    sim.runDue();
    expect(sim.traffic.status().started).toBe(0);
    t += 60_000;
    sim.runDue();
    expect(sim.traffic.status().started).toBeGreaterThan(0);
  });

  it('rejects bad settings with the field named', () => {
    const sim = new Simulator({ clock: new FakeClock() });
    expect(() => sim.traffic.set({ callsPerMinute: 0 })).toThrow(/callsPerMinute/);
    expect(() => sim.traffic.set({ seed: 1.5 })).toThrow(/seed/);
    expect(() => new Simulator({ traffic: { meanTalkSeconds: -1 } })).toThrow(/meanTalkSeconds/);
  });
});

describe('traffic over HTTP', () => {
  it('POST /sim/traffic turns it on and off; GET shows the settings and counts', async () => {
    h = await harness({ clock: new FakeClock() });
    const on = await h.client.call('POST', '/sim/traffic', {
      body: { on: true, callsPerMinute: 30, meanTalkSeconds: 45, seed: 3 },
    });
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ on: true, callsPerMinute: 30, meanTalkSeconds: 45, seed: 3, started: 0 });
    await h.client.call('POST', '/sim/clock/advance', { body: { ms: 120_000 } });
    const st = await h.client.call('GET', '/sim/traffic');
    expect(st.json.started).toBeGreaterThan(10);
    const off = await h.client.call('POST', '/sim/traffic', { body: { on: false } });
    expect(off.json).toMatchObject({ on: false, callsPerMinute: 30 });
    const bad = await h.client.call('POST', '/sim/traffic', { body: { callsPerMinute: 'many' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/callsPerMinute/);
    const badOn = await h.client.call('POST', '/sim/traffic', { body: { on: 'yes' } });
    expect(badOn.status).toBe(400);
  });

  it('QC_AgentState_Notify of traffic reaches the poll of an inspector who beginmonitor-ed the agents', async () => {
    h = await harness({ clock: new FakeClock(), authMode: 1, heartbeatTimeoutMs: 3_600_000 });
    const g = await h.client.signIn('1001');
    await h.client.drain('1001', g);
    const begin = await h.client.gw('POST', `/qualitycontrol/1001/beginmonitor?agents=${AGENTS.join(';')}`, {
      guid: g,
    });
    expect(begin.json.retcode).toBe('0');
    await h.client.call('POST', '/sim/traffic', {
      body: { on: true, callsPerMinute: 20, meanTalkSeconds: 30 },
    });
    await h.client.call('POST', '/sim/clock/advance', { body: { ms: 300_000 } });
    const events = await h.client.drain('1001', g);
    const notes = events.filter((e) => e.eventType === 'QC_AgentState_Notify');
    const c = (e: GatewayEvent) => e.content as { subtype: string; monitoredagent: string };
    const first = notes.find((e) => c(e).subtype === 'QC_AgentState_WaitAnswer') as GatewayEvent;
    expect(first).toBeDefined();
    const agent = c(first).monitoredagent;
    const seq = notes
      .filter((e) => c(e).monitoredagent === agent)
      .map((e) => c(e).subtype.slice('QC_AgentState_'.length));
    expect(seq.slice(0, 5)).toEqual(['WaitAnswer', 'Active', 'HungUp', 'Work', 'Idle']);
    expect(first.workNo).toBe('1001');
  });

  it('allagentstatus shows a ringing agent as talking (7) with ctiStatus 4, wrap-up as 5', async () => {
    h = await harness({ clock: new FakeClock(), authMode: 1, heartbeatTimeoutMs: 3_600_000 });
    const g = await h.client.signIn('1001');
    h.run.sim.traffic.set({ on: true, callsPerMinute: 60, ringSeconds: 4, wrapUpSeconds: 30 });
    const seen = new Set<string>();
    for (let i = 0; i < 120; i++) {
      h.run.sim.advance(1_000);
      const r = await h.client.gw('GET', '/agentgroup/1001/allagentstatus', { guid: g });
      for (const x of r.json.result as { status: string; ctiStatus: string }[])
        seen.add(`${x.status}/${x.ctiStatus}`);
    }
    expect([...seen]).toEqual(expect.arrayContaining(['7/4', '7/5', '5/6', '4/1']));
  });
});

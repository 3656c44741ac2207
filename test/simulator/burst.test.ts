/**
 * Bursts for the floor bench (issue 15 items 6–7): N state changes per second across M agents, evenly
 * spaced on the simulator's clock, deterministic for a seed, each one a real call step with its events.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScenario, FakeClock, Simulator } from '../../simulator/index';
import { type Harness, harness } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const STEP_EVENTS = new Set([
  'AgentEvent_Ringing',
  'AgentEvent_Talking',
  'AgentState_Work',
  'AgentState_Ready',
]);

/** One entry per state change: [time, agent, the event that marks it]. */
function changes(sim: Simulator, ids: string[]): [number, string, string][] {
  return ids
    .flatMap((id) => sim.takeEvents(id))
    .filter((e) => STEP_EVENTS.has(e.eventType))
    .map((e): [number, string, string] => [e.eventGenTime, e.workNo, e.eventType])
    .sort((x, y) => x[0] - y[0]);
}

const ten = Array.from({ length: 10 }, (_, i) => String(2007 + i)); // 2007–2016: idle, no scenario call

describe('bursts on the fake clock', () => {
  it('makes changesPerSecond × seconds changes, evenly spaced, each one a call step', () => {
    const sim = new Simulator({ clock: new FakeClock() });
    const t0 = sim.now();
    const st = sim.bursts.start({ changesPerSecond: 50, seconds: 2, agents: ten });
    expect(st).toMatchObject({ running: true, total: 100, done: 0, startedAt: t0, endsAt: t0 + 2_000 });
    sim.advance(2_000);
    expect(sim.bursts.status()).toMatchObject({ running: false, done: 100, skipped: 0 });
    const c = changes(sim, ten);
    expect(c).toHaveLength(100);
    expect(c.map(([t]) => t - t0)).toEqual(Array.from({ length: 100 }, (_, i) => i * 20));
    // Each agent's changes follow the call cycle.
    const order = ['AgentEvent_Ringing', 'AgentEvent_Talking', 'AgentState_Work', 'AgentState_Ready'];
    for (const id of ten) {
      const mine = c.filter(([, a]) => a === id).map(([, , t]) => t);
      expect(mine).toEqual(mine.map((_, i) => order[i % 4]));
    }
  });

  it('QC_AgentState_Notify for each change reaches a watching inspector (a hang-up is HungUp + Work)', () => {
    const sim = new Simulator({ clock: new FakeClock() });
    const insp = sim.rec('1001');
    if (!insp) throw new Error('no 1001');
    sim.openSession(insp, { desktop: true, silent: true });
    sim.watch(insp, ten);
    sim.bursts.start({ changesPerSecond: 100, seconds: 1, agents: ten, seed: 9 });
    sim.advance(1_000);
    const notes = sim.takeEvents('1001').filter((e) => e.eventType === 'QC_AgentState_Notify');
    const hangUps = changes(sim, ten).filter(([, , t]) => t === 'AgentState_Work').length;
    expect(notes).toHaveLength(100 + hangUps);
  });

  it('is deterministic: the same seed gives the same changes; another seed others', () => {
    const run = (seed: number, step: number) => {
      const sim = new Simulator({ clock: new FakeClock() });
      sim.bursts.start({ changesPerSecond: 40, seconds: 3, agents: 10, seed });
      for (let t = 0; t < 3_000; t += step) sim.advance(step);
      return changes(sim, sim.bursts.status()?.agents ?? []);
    };
    expect(run(4, 1_000)).toEqual(run(4, 7));
    expect(run(4, 1_000)).not.toEqual(run(5, 1_000));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        expect(run(seed, 500)).toEqual(run(seed, 500));
      }),
      { numRuns: 10 },
    );
  });

  it('passes over agents that cannot move and counts a change no agent could make as skipped', () => {
    const sim = new Simulator({ clock: new FakeClock() });
    sim.bursts.start({ changesPerSecond: 10, seconds: 1, agents: ['2005', '2006'] });
    sim.advance(1_000);
    expect(sim.bursts.status()).toMatchObject({ done: 0, skipped: 10 });
    expect(sim.snapshot().calls).toHaveLength(3);
  });

  it('500 agents, 50 changes a second for 60 s: 3,000 changes, none skipped', () => {
    const scenario = { ...defaultScenario(), extraAgents: { from: 40_001, count: 500, vdn: 1 } };
    const sim = new Simulator({ clock: new FakeClock(), scenario });
    const ids = Array.from({ length: 500 }, (_, i) => String(40_001 + i));
    sim.bursts.start({ changesPerSecond: 50, seconds: 60, agents: ids });
    sim.advance(60_000);
    expect(sim.bursts.status()).toMatchObject({ done: 3_000, skipped: 0, running: false });
  });
});

describe('/sim/burst', () => {
  it('starts, reports and stops a burst; bad input is 400/404', async () => {
    h = await harness({ clock: new FakeClock() });
    const started = await h.client.call('POST', '/sim/burst', {
      body: { changesPerSecond: 20, seconds: 5, agents: 8, seed: 2 },
    });
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ running: true, total: 100, seed: 2 });
    expect(started.json.agents).toEqual(['2001', '2002', '2003', '2004', '2005', '2006', '2007', '2008']);
    await h.client.call('POST', '/sim/clock/advance', { body: { ms: 1_000 } });
    const mid = await h.client.call('GET', '/sim/burst');
    expect(mid.json.done + mid.json.skipped).toBe(21); // changes at 0, 50, …, 1000 ms
    const stopped = await h.client.call('DELETE', '/sim/burst');
    expect(stopped.json.running).toBe(false);
    await h.client.call('POST', '/sim/clock/advance', { body: { ms: 10_000 } });
    expect((await h.client.call('GET', '/sim/burst')).json.done).toBe(mid.json.done);
    for (const [body, status] of [
      [{ changesPerSecond: 0, seconds: 1, agents: 1 }, 400],
      [{ changesPerSecond: 1, seconds: 1, agents: 'all' }, 400],
      [{ changesPerSecond: 1, seconds: 1, agents: ['9999'] }, 404],
      [{ changesPerSecond: 1, seconds: 1, agents: 1000 }, 400],
    ] as const) {
      const r = await h.client.call('POST', '/sim/burst', { body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(typeof r.json.error).toBe('string');
    }
    await h.client.call('POST', '/sim/reset');
    expect((await h.client.call('GET', '/sim/burst')).json).toEqual({ running: false });
  });
});

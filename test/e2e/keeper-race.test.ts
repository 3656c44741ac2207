import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../local/slack-api/store';
import { Keeper, type KeeperReport } from '../../src/qc/keeper';
import { expectNoSecrets, text, threadLines, until, useLocalStack, waitForNew, watchPolls } from './support';

/**
 * Keepers racing for the same inspectors: several keeper runs at once over one table, coming and
 * going (as Lambda's overlapping scheduled runs do). At any moment at most one polls an inspector,
 * and every event reaches the thread once, in order.
 */
const INSPECTORS = ['1001', '1003'];
/** Every event poll any keeper of this file made, per inspector. */
const allPolls = new Map<string, number>();

// The stack's own keeper loop scans once at start (nobody is signed in yet) and then sleeps for
// the whole file: only the keepers started below poll.
const env = useLocalStack({ keeper: { rescanMs: 600_000, runMs: 600_000 } });

/** Keeper runs that come and go until stopped; every poll they make is counted per inspector. */
class KeeperFleet {
  readonly inFlight = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();
  readonly pollsBy = new Map<string, Map<string, number>>();
  readonly reports: KeeperReport[] = [];
  readonly #abort = new AbortController();
  readonly #lanes: Promise<void>[] = [];
  #runs = 0;

  /** `lanes` keepers at a time; each run lasts `runMs[i]` (cycled), then a new owner takes its place. */
  start(lanes: number, runMs: number[]): void {
    for (let lane = 0; lane < lanes; lane++) this.#lanes.push(this.#lane(lane, runMs));
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await Promise.all(this.#lanes);
  }

  polls(inspectorId: string): number {
    let n = 0;
    for (const byOwner of this.pollsBy.values()) n += byOwner.get(inspectorId) ?? 0;
    return n;
  }

  owners(inspectorId: string): string[] {
    return [...this.pollsBy].filter(([, m]) => (m.get(inspectorId) ?? 0) > 0).map(([owner]) => owner);
  }

  async #lane(lane: number, runMs: number[]): Promise<void> {
    for (let i = 0; !this.#abort.signal.aborted; i++) {
      const owner = `keeper-${lane}-${i}-${++this.#runs}`;
      const counts = new Map<string, number>();
      this.pollsBy.set(owner, counts);
      const gateway = watchPolls(env.stack.deps.gateway, (inspectorId) => {
        counts.set(inspectorId, (counts.get(inspectorId) ?? 0) + 1);
        allPolls.set(inspectorId, (allPolls.get(inspectorId) ?? 0) + 1);
        const now = (this.inFlight.get(inspectorId) ?? 0) + 1;
        this.inFlight.set(inspectorId, now);
        this.maxInFlight.set(inspectorId, Math.max(now, this.maxInFlight.get(inspectorId) ?? 0));
        return () => this.inFlight.set(inspectorId, (this.inFlight.get(inspectorId) ?? 1) - 1);
      });
      // Leases long enough never to run out on a busy machine (a stalled renewal would let a second
      // keeper in): they change hands when a run ends and releases them, as on Lambda.
      const keeper = new Keeper(
        { ...env.stack.deps, gateway },
        { owner, runMs: runMs[i % runMs.length] ?? 1_000, leaseMs: 30_000, rescanMs: 50, errorBackoffMs: 50 },
      );
      this.reports.push(await keeper.run(this.#abort.signal));
    }
  }
}

/**
 * Waits until a keeper run that had not polled `inspectorId` yet polls it: the lease has changed
 * hands. The scenario waits for this between its steps, so handovers happen during the calls on a
 * fast machine as on a slow one (the runs are short; the bound is generous).
 */
async function handover(fleet: KeeperFleet, inspectorId: string): Promise<void> {
  const before = new Set(fleet.owners(inspectorId));
  await until(
    `another keeper run to take ${inspectorId}'s lease`,
    () => fleet.owners(inspectorId).some((owner) => !before.has(owner)),
    { timeoutMs: 20_000 },
  );
}

async function result(commandLine: string, user: string, match: RegExp): Promise<StoredMessage> {
  const since = env.mark();
  await env.slack.command(commandLine, user);
  return waitForNew(env.stack, since, (m) => m.ephemeralTo === undefined && match.test(text(m)));
}

describe('keepers racing for one inspector', () => {
  it('two keepers started at once: one takes the lease and polls, the other leaves the inspector alone', async () => {
    for (const [user, id] of [
      ['U_DEMO', '1001'],
      ['U_DEMO2', '1003'],
    ] as const) {
      const res = await env.slack.signIn(user);
      expect(JSON.stringify(res.json)).toMatch(new RegExp(`Signed in as inspector \\*${id}\\*`));
    }
    await env.guids.note(...INSPECTORS);
    const pollsBefore = env.stack.sim?.sim.requestLog.filter((r) => r.logName === 'getAgentEvent').length;
    expect(pollsBefore).toBe(0); // nobody polled yet: the stack's own keeper is asleep

    const fleet = new KeeperFleet();
    fleet.start(2, [600_000]); // two long runs, started together
    try {
      for (const id of INSPECTORS) await until(`a poll of ${id}`, () => fleet.polls(id) >= 3);
      for (const id of INSPECTORS) {
        expect(fleet.owners(id)).toHaveLength(1);
        const session = await env.stack.store.getSession(id);
        expect(fleet.owners(id)).toEqual([session?.leaseOwner]);
      }
    } finally {
      await fleet.stop();
    }
    for (const id of INSPECTORS) {
      expect(fleet.maxInFlight.get(id)).toBe(1);
      expect((await env.stack.store.getSession(id))?.leaseOwner).toBeUndefined(); // released at the end
    }
    expect(fleet.reports.reduce((n, r) => n + r.sessions, 0)).toBe(2);
    expect(fleet.reports.reduce((n, r) => n + r.lostLeases + r.errors, 0)).toBe(0);
  });

  it('keeper runs that come and go: one poller at a time, every event in the thread once and in order', async () => {
    const fleet = new KeeperFleet();
    // Three lanes of short, overlapping runs: leases change hands during the calls (the scenario
    // waits for a handover between its steps, whatever the machine's speed).
    fleet.start(3, [350, 500, 800, 250]);
    try {
      const listened = await result('/qc listen 2005', 'U_DEMO', /Listening to agent 2005/);
      const other = await result('/qc listen 2006', 'U_DEMO2', /Listening to agent 2006/);
      await env.slack.waitForThread(listened, /Phone answered: you are listening to 2005/);
      await env.slack.waitForThread(other, /Phone answered: you are listening to 2006/);
      await Promise.all(INSPECTORS.map((id) => handover(fleet, id)));
      const intercepted = await result('/intercept 2005', 'U_DEMO', /Intercepted the call of agent 2005/);
      await env.slack.waitForThread(intercepted, /Recording /);
      await handover(fleet, '1001');
      env.stack.sim?.sim.endCall('2005'); // the customer hangs up on the inspector
      await env.slack.waitForThread(intercepted, /You are idle again/);
      await result('/qc stop 2006', 'U_DEMO2', /Stopped monitoring agent 2006/);
      await until('the stop to reach 1003', async () => !(await env.stack.store.getMonitoring('1003'))?.mode);

      expect(threadLines(env.stack, listened)).toEqual([
        '☎️ Your phone is ringing: answer it to join',
        '🎧 Phone answered: you are listening to 2005',
      ]);
      expect(threadLines(env.stack, other)).toEqual([
        '☎️ Your phone is ringing: answer it to join',
        '🎧 Phone answered: you are listening to 2006',
      ]);
      expect(threadLines(env.stack, intercepted)).toEqual([
        expect.stringMatching(/^📞 Talking: caller 13900002005 → 10086 \(call \d+-\d+\)$/),
        expect.stringMatching(/^⏺️ Recording /),
        expect.stringMatching(/^👋 The customer hung up/),
        expect.stringMatching(/^🔚 Call \d+-\d+ released$/),
        '📴 Your phone hung up',
        '✅ You are idle again',
      ]);
    } finally {
      await fleet.stop();
    }
    for (const id of INSPECTORS) {
      expect(fleet.maxInFlight.get(id), `concurrent polls of ${id}`).toBe(1);
      expect(fleet.owners(id).length, `keeper runs that polled ${id}`).toBeGreaterThan(1);
    }
    // Every poll the simulator saw came from these keepers: nobody polled behind their back.
    for (const id of INSPECTORS) {
      const seen = env.stack.sim?.sim.requestLog.filter(
        (r) => r.logName === 'getAgentEvent' && r.agentId === id,
      );
      expect(seen?.length).toBe(allPolls.get(id));
    }
    env.stack.sim?.sim.startCall('2005');
  }, 60_000); // the handovers it waits for are bounded one by one (20 s each); a busy machine is slow

  it('no Guid or password in the logs', async () => {
    await env.guids.note(...INSPECTORS);
    expectNoSecrets(env.stack, env.logs, env.guids.guids);
  });
});

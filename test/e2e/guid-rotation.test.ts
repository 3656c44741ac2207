import { describe, expect, it } from 'vitest';
import { dmChannelId } from '../../local/slack-api/index';
import { Keeper, type KeeperReport } from '../../src/qc/keeper';
import { expectNoSecrets, gatewayRequests, text, until, useLocalStack, waitForNew } from './support';

/**
 * Dynamic Guids (auth mode 2) on the simulator's fake clock: a poll answers with a new Guid once
 * the current one is 60 s old, and a Guid dies 120 s after it was issued. Keeper runs come and go
 * while time moves; the stored Guid must always be the live one. A Guid left to go stale ends the
 * session and the inspector is told.
 */
const HOLD_MS = 50;
const DM = dmChannelId('U_DEMO');

// The stack's own keeper scans once at start and then sleeps: keeper runs are started by the tests.
const env = useLocalStack({
  simulator: { pollHoldMs: HOLD_MS, fakeClock: true, authMode: 2 },
  keeper: { rescanMs: 600_000, runMs: 600_000 },
});
/** Simulator time of the last Guid rotation. */
let rotatedAt = 0;

/** One keeper run, stopped by the caller (as a scheduled run ends). */
function keeperRun(owner: string) {
  const abort = new AbortController();
  const keeper = new Keeper(env.stack.deps, { owner, runMs: 60_000, leaseMs: 10_000, rescanMs: 20 });
  const done = keeper.run(abort.signal);
  return {
    stop: async (): Promise<KeeperReport> => {
      abort.abort();
      return done;
    },
  };
}

/** A poll of 1001 that started at the simulator's current time (and was answered). */
function pollAtNow(since: number) {
  const now = env.sim.now();
  return () =>
    env.sim
      .requestsSince(since)
      .some((r) => r.logName === 'getAgentEvent' && r.agentId === '1001' && r.at === now && r.status === 200);
}

const session = () => env.stack.store.getSession('1001');

describe('Guid rotation across keeper runs (fake clock, dynamic Guids)', () => {
  it('the stored Guid follows every rotation; the session survives and a QC command works', async () => {
    const res = await env.slack.signIn('U_DEMO');
    expect(JSON.stringify(res.json)).toMatch(/Signed in as inspector \*1001\*/);
    const first = await session();
    if (!first) throw new Error('no session');
    expect(first.guid).toBe(env.sim.currentGuid('1001'));
    await env.guids.note('1001');

    const seen = new Set([first.guid]);
    let rotations = 0;
    for (let run = 0; run < 5; run++) {
      // Half a rotation period passes with no keeper running (between two scheduled runs) …
      env.sim.advance(30_000);
      const keeper = keeperRun(`keeper-run-${run}`);
      // … then the rest of it while a keeper polls (sometimes before its first poll, sometimes during one).
      if (run % 2 === 1) await until('a poll of this run', pollAtNow(env.sim.snapshot().requestCount));
      env.sim.advance(35_000);
      const rotated = await until('the rotated Guid to be stored', async () => {
        const s = await session();
        const live = env.sim.currentGuid('1001');
        return s?.guid && s.guid === live && !seen.has(s.guid) ? s : undefined;
      });
      seen.add(rotated.guid);
      rotatedAt = env.sim.now();
      await env.guids.note('1001');
      expect(rotated).toMatchObject({ sessionId: first.sessionId, status: 'active' });
      const report = await keeper.stop();
      rotations += report.rotations;
      expect(report).toMatchObject({ ended: 0, lostLeases: 0 });
      expect((await session())?.guid).toBe(env.sim.currentGuid('1001'));
    }
    expect(rotations).toBe(5);
    // 325 s have passed: the first Guid is long dead, the stored one works.
    expect(env.sim.agent('1001')).toMatchObject({ signedIn: true });

    const since = env.stack.slack.store.messages.length;
    await env.slack.command('/qc listen 2005');
    const result = await waitForNew(env.stack, since, (m) => /Listening to agent 2005/.test(text(m)));
    expect(text(result)).toMatch(/Retcode 0/);
    expect(gatewayRequests(env.stack, 'addSupervise', '/2005').map((r) => r.retcode)).toEqual(['0']);
    expect(await session()).toMatchObject({ sessionId: first.sessionId, status: 'active' });

    // The events queued while no keeper ran reach the thread with the next run.
    const keeper = keeperRun('keeper-after');
    try {
      await env.slack.waitForThread(result, /Phone answered: you are listening to 2005/);
    } finally {
      await keeper.stop();
    }
  });

  it('a Guid left to go stale: the poll gets 100-006, the session ends and the inspector gets a DM', async () => {
    const before = await session();
    if (!before?.guid) throw new Error('no active session');
    // A keeper polls 59 s after the last rotation (too early to rotate; the heartbeat is fresh) …
    env.sim.advance(rotatedAt + 59_000 - env.sim.now());
    const beat = keeperRun('keeper-heartbeat');
    await until('a heartbeat poll', pollAtNow(env.sim.snapshot().requestCount));
    expect((await beat.stop()).rotations).toBe(0);
    expect((await session())?.guid).toBe(before.guid);
    // … then no keeper runs for 62 s: the Guid (issued ≥ 121 s ago) dies; the gateway session does not.
    env.sim.advance(62_000);
    expect(env.sim.agent('1001')).toMatchObject({ signedIn: true });

    const since = env.stack.slack.store.messages.length;
    const keeper = keeperRun('keeper-late');
    const dm = await waitForNew(
      env.stack,
      since,
      (m) => m.channel === DM && /session as inspector 1001 ended/.test(text(m)),
    );
    const report = await keeper.stop();
    expect(report.ended).toBe(1);
    expect(text(dm)).toMatch(/the gateway no longer accepts the session \(100-006\)/);
    expect(text(dm)).toMatch(/Sign in again with \/qc signin/);
    expect(JSON.stringify(dm.blocks)).toMatch(/"action_id":"qc_open_signin:0"/);
    expect(await session()).toMatchObject({
      sessionId: before.sessionId,
      status: 'ended',
      endedReason: 'the gateway no longer accepts the session (100-006)',
    });
    expect((await session())?.guid).toBeUndefined();
    const stale = env.sim.requestLog.filter((r) => r.logName === 'getAgentEvent' && r.retcode === '100-006');
    // One such answer is not proof (a load balancer may have misrouted it): the next poll confirms.
    expect(stale).toHaveLength(2);

    // The next command says "sign in", and nothing goes to the gateway.
    const intercepts = gatewayRequests(env.stack, 'intercept').length;
    const refusal = (await env.slack.command('/intercept 2005')).json ?? {};
    expect(String(refusal.text)).toMatch(/Inspector 1001 is not signed in to the gateway: sign in first/);
    await env.stack.queue.drained();
    expect(gatewayRequests(env.stack, 'intercept')).toHaveLength(intercepts);
  });

  it('no Guid (current, rotated or stale) and no password in the logs', async () => {
    expect(env.guids.guids.size).toBeGreaterThanOrEqual(6);
    expectNoSecrets(env.stack, env.logs, env.guids.guids);
  });
});

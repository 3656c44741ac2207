/**
 * One keeper holding N signed-in inspectors (default 1,000) through Guid rotations. The simulator runs on
 * a fake clock in auth mode 2 (dynamic Guid: rotated on the first poll after GUIDINTERVAL 60 s, dead
 * GUIDTIMEOUT 120 s after its issue; signed out after 120 s without a poll). The clock is advanced in
 * 30 s steps; after each step the bench waits until every inspector has polled at the new time, so each
 * Guid rotates once per 60 s of fake time, ROTATIONS times per session.
 *
 * Correctness (throws when broken): every session still active in the store, signed in at the simulator,
 * its stored Guid the simulator's current one and accepted by it (an `agentstatus` call with it answers
 * retcode 0), every rotation stored (session version), no session ended, no lease lost.
 *
 * The keeper shares one GatewayClient pool: CCGW_MAX_CONNECTIONS (default 256) bounds the long polls
 * held at once; BENCH_KEEPER_CONNECTIONS overrides it here. The gateway's poll hold is 1 s (real time).
 * Keeper options tuned for 1,000 sessions on dynalite (one process, ~250 DynamoDB operations/s): a 90 s
 * lease (renewed every 30 s instead of every 15 s: 1,000 sessions renew 33 times/s instead of 67) and a
 * 15 s rescan (each rescan reads all 1,000 sessions); BENCH_KEEPER_LEASE_MS / BENCH_KEEPER_RESCAN_MS
 * override them (the keeper's defaults are 45 s and 5 s).
 */

import { startLocalDynamo } from '../local/dynalite';
import { defaultScenario, FakeClock, startSimulator } from '../simulator/index';
import { GatewayClient } from '../src/gateway/client';
import { Secret } from '../src/gateway/secret';
import { Keeper } from '../src/qc/keeper';
import type { Notifier } from '../src/qc/ports';
import { signInInspector } from '../src/qc/signin';
import { DynamoStore } from '../src/store/dynamo';
import { benchLogger } from './logger';
import { emit } from './stats';

const INSPECTOR_FROM = 50_001;
const TEAM = 'T_LOCAL';
const STEP_MS = 30_000;

/** Run `fn` over `items`, at most `limit` at a time. */
async function inBatches<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += limit) await Promise.all(items.slice(i, i + limit).map(fn));
}

export async function benchKeeperScale(
  n = Number(process.env.BENCH_KEEPER_SESSIONS ?? 1_000),
  rotations = Number(process.env.BENCH_KEEPER_ROTATIONS ?? 5),
  connections = Number(process.env.BENCH_KEEPER_CONNECTIONS ?? 256),
  pollHoldMs = Number(process.env.BENCH_KEEPER_POLL_HOLD_MS ?? 1_000),
): Promise<void> {
  const log = benchLogger();
  const clock = new FakeClock(Date.now());
  const run = await startSimulator({
    clock,
    authMode: 2,
    pollHoldMs,
    scenario: { ...defaultScenario(), extraInspectors: { from: INSPECTOR_FROM, count: n, vdn: 1 } },
  });
  const sim = run.sim;
  const db = await startLocalDynamo();
  const store = new DynamoStore({ tableName: db.tableName, client: db.client });
  const gateway = new GatewayClient({
    baseUrl: run.url,
    caPem: run.caPem,
    maxConnections: connections,
    logger: log.logger,
  });
  const notes = { dms: 0, threadReplies: 0 };
  // The keeper only DMs (a session ended) and posts thread replies; both are counted here.
  const keeperNotifier: Pick<Notifier, 'dm' | 'threadReply'> = {
    dm: async () => {
      notes.dms++;
    },
    threadReply: async (_target, _lines, replyTs) => {
      notes.threadReplies++;
      return replyTs ?? `${Date.now() / 1000}`;
    },
  };
  const notifier = keeperNotifier as Notifier;
  const deps = { store, gateway, notifier, logger: log.logger, now: Date.now };
  const inspectors = Array.from({ length: n }, (_, i) => String(INSPECTOR_FROM + i));
  const abort = new AbortController();
  let keeperRun: Promise<Awaited<ReturnType<Keeper['run']>>> | undefined;
  try {
    // ---- setup: links and sign-ins (through the gateway, as the sign-in modal does) ----
    const setupStarted = performance.now();
    await inBatches(inspectors, 50, async (id) => {
      const userId = `U_K${id}`;
      await store.putLink({
        teamId: TEAM,
        userId,
        inspectorId: id,
        phone: `7${id}`,
        linkedBy: 'U_ADMIN',
        linkedAt: Date.now(),
      });
      const out = await signInInspector(deps, { teamId: TEAM, userId, password: 'simulator', force: false });
      if (out.kind !== 'signed-in') throw new Error(`keeper-scale: sign-in of ${id} failed: ${out.kind}`);
    });
    const setupMs = performance.now() - setupStarted;

    // ---- the keeper ----
    const keeperOptions = {
      runMs: 600_000,
      errorBackoffMs: 500,
      leaseMs: Number(process.env.BENCH_KEEPER_LEASE_MS ?? 90_000),
      rescanMs: Number(process.env.BENCH_KEEPER_RESCAN_MS ?? 15_000),
    };
    const keeper = new Keeper(deps, keeperOptions);
    const started = performance.now();
    const pollsAtStart = sim.snapshot().requestCount;
    keeperRun = keeper.run(abort.signal);

    /** Waits until every inspector has had a poll answered that reached the simulator at `since` or later. */
    let nextSeq = pollsAtStart;
    const polledAt = new Map<string, number>();
    const everyonePolledSince = async (since: number, what: string, timeoutMs = 90_000) => {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        for (const e of sim.requestsSince(nextSeq)) {
          nextSeq = e.seq + 1;
          if (e.logName === 'getAgentEvent' && e.agentId && e.retcode === '0')
            polledAt.set(e.agentId, Math.max(polledAt.get(e.agentId) ?? 0, e.at));
        }
        const behind = inspectors.filter((id) => (polledAt.get(id) ?? -1) < since).length;
        if (behind === 0) return;
        if (performance.now() > deadline)
          throw new Error(`keeper-scale: ${behind} inspectors not polled ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await everyonePolledSince(clock.now(), 'after the keeper started');
    const allHeldMs = performance.now() - started;

    const steps = rotations * (60_000 / STEP_MS);
    const stepMs: number[] = [];
    for (let step = 0; step < steps; step++) {
      const t = performance.now();
      sim.advance(STEP_MS);
      await everyonePolledSince(clock.now(), `after clock step ${step + 1}`);
      stepMs.push(performance.now() - t);
    }
    abort.abort();
    const report = await keeperRun;
    keeperRun = undefined;
    const wallMs = performance.now() - started;
    const polls = sim.snapshot().requestCount - pollsAtStart;
    // Polls per inspector per (real) second: a gateway that does not hold polls must not be spun on.
    const perInspector = new Map<string, number>();
    for (const e of sim.requestsSince(pollsAtStart)) {
      if (e.logName === 'getAgentEvent' && e.agentId)
        perInspector.set(e.agentId, (perInspector.get(e.agentId) ?? 0) + 1);
    }
    const maxPollsPerInspector = Math.max(0, ...perInspector.values());

    // ---- checks: store, simulator state, and the simulator's own verdict on each stored Guid ----
    const active = new Set((await store.listActiveSessions()).map((s) => s.inspectorId));
    let lost = 0;
    let guidMismatch = 0;
    let refused = 0;
    let rotationsStored = 0;
    let underRotated = 0;
    await inBatches(inspectors, 100, async (id) => {
      const s = await store.getSession(id);
      const signedIn = sim.agent(id)?.signedIn === true;
      if (s?.status !== 'active' || !active.has(id) || !signedIn || !s.guid) {
        lost++;
        return;
      }
      if (s.guid !== sim.currentGuid(id)) guidMismatch++;
      rotationsStored += s.version - 1;
      if (s.version - 1 < rotations) underRotated++;
      const status = await gateway.agentStatus({ agentId: id, guid: new Secret(s.guid) });
      if (!status.ok) refused++;
    });
    const round = (x: number) => Math.round(x * 10) / 10;
    const correct =
      lost === 0 &&
      guidMismatch === 0 &&
      refused === 0 &&
      underRotated === 0 &&
      report.ended === 0 &&
      report.lostLeases === 0 &&
      notes.dms === 0 &&
      report.rotations === rotationsStored;
    emit({
      bench: 'keeper.scale',
      unit: `one keeper, ${n} inspectors, ${rotations} Guid rotations each (fake clock, ${STEP_MS / 1000} s steps), poll hold ${pollHoldMs / 1000} s, ${connections} gateway connections`,
      poll_hold_ms: pollHoldMs,
      keeper_options: { leaseMs: keeperOptions.leaseMs, rescanMs: keeperOptions.rescanMs },
      sessions_held: n - lost,
      sessions_lost: lost,
      keeper_sessions: report.sessions,
      rotations_stored: rotationsStored,
      keeper_rotations: report.rotations,
      polls: report.polls,
      simulator_requests: polls,
      events: report.events,
      errors: report.errors,
      ended: report.ended,
      lost_leases: report.lostLeases,
      guid_mismatch: guidMismatch,
      guid_refused: refused,
      session_ended_dms: notes.dms,
      thread_replies: notes.threadReplies,
      setup_ms: round(setupMs),
      all_polled_ms: round(allHeldMs),
      step_ms_max: round(Math.max(...stepMs)),
      wall_ms: round(wallMs),
      polls_per_s: round(report.polls / (wallMs / 1000)),
      max_polls_per_s_per_inspector: round(maxPollsPerInspector / (wallMs / 1000)),
      log_warnings: log.counts(),
      goal: `0 sessions lost: all ${n} active with a Guid the simulator accepts, ${rotations}+ rotations stored each`,
      correct,
    });
    if (!correct) {
      throw new Error(
        `keeper-scale: correctness broken — lost ${lost}, guid mismatch ${guidMismatch}, refused ${refused}, ` +
          `under-rotated ${underRotated}, ended ${report.ended}, lost leases ${report.lostLeases}, DMs ${notes.dms}`,
      );
    }
  } finally {
    abort.abort();
    await keeperRun?.catch(() => {});
    log.mute();
    await gateway.destroy();
    await run.close();
    await db.close();
  }
}

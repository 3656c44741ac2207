/**
 * `npm run bench -- floor` (issue 15 item 7): live floors under a burst, with Slack's rate limits on in the
 * local Slack API. 500 agents in VDN 1 (2001–2020 and 40001–40480), 10 inspectors (50001–50010) each signed
 * in with a floor of the VDN open in their DM, then the simulator's burst: 50 state changes per second for
 * 60 s (`BENCH_FLOOR_SECONDS` shortens it) over the 500 agents. The stack's own keeper keeps the floors live.
 * One JSON line: per message the most chat.update calls in any 3 s (must be ≤ 1), the workspace's most
 * chat.update in any 60 s (≤ ~50), 429s, messages whose final state differs from the simulator's (0 lost),
 * the worst staleness (from a change at the simulator to the chat.update that showed it) and the `/qc floor`
 * answer's time (command sent → the floor message in the DM and its record stored).
 *
 * Setup, not measured: links written to the store, sign-ins through the gateway (`signInInspector`).
 */
import { LOCAL_TEAM, type LocalStack, startLocalStack } from '../local/stack';
import { defaultScenario } from '../simulator/index';
import { floorLiveFor } from '../src/qc/floor-live';
import type { Redraw } from '../src/qc/floor-redraw';
import { gatewaySession } from '../src/qc/run-qc';
import { signInInspector } from '../src/qc/signin';
import type { SessionRecord } from '../src/store/types';
import { SlackDriver } from '../test/e2e/driver';
import { floorDiff, maxInWindow } from './floor-read';
import { benchLogger } from './logger';
import { inBatches } from './many-inspectors';
import { emit, summary } from './stats';

const INSPECTORS = Array.from({ length: 10 }, (_, i) => String(50_001 + i));
const userOf = (inspector: string) => `U_FLOOR${inspector}`;

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`floor bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startStack(log: ReturnType<typeof benchLogger>): Promise<LocalStack> {
  return startLocalStack({
    logger: log.logger,
    simulator: {
      pollHoldMs: 2_000,
      scenario: {
        ...defaultScenario(),
        extraInspectors: { from: 50_001, count: INSPECTORS.length, vdn: 1 },
        extraAgents: { from: 40_001, count: 480, vdn: 1 },
      },
    },
    // Runs of ~55 s, as on Lambda: each run reads the floors again (allagentstatus), which also repairs
    // events the gateway dropped from a queue that overflowed.
    keeper: { rescanMs: 200, runMs: 55_000 },
    slackRateLimits: true,
    slackUsers: INSPECTORS.map((i) => ({ id: userOf(i), name: `floor${i}`, realName: `Inspector ${i}` })),
  });
}

async function signInAll(stack: LocalStack): Promise<void> {
  await inBatches(INSPECTORS, 10, async (inspector) => {
    await stack.store.putLink({
      teamId: LOCAL_TEAM,
      userId: userOf(inspector),
      inspectorId: inspector,
      phone: `7${inspector.slice(-4)}`,
      displayName: `Inspector ${inspector}`,
      linkedBy: 'U_ADMIN',
      linkedAt: Date.now(),
    });
    const deps = {
      store: stack.store,
      gateway: stack.deps.gateway,
      logger: stack.deps.logger,
      now: Date.now,
    };
    const out = await signInInspector(deps, {
      teamId: LOCAL_TEAM,
      userId: userOf(inspector),
      password: 'simulator',
      force: false,
    });
    if (out.kind !== 'signed-in') throw new Error(`floor bench: sign-in of ${inspector}: ${out.kind}`);
  });
}

/**
 * `/qc floor` as the inspector types it (a signed request through the local stack); the time from sending
 * it to the floor message in the DM with its record stored (what the user waits for).
 */
async function openFloor(
  stack: LocalStack,
  slack: SlackDriver,
  inspector: string,
): Promise<{ floorId: string; inspector: string; ms: number }> {
  const started = performance.now();
  const ack = await slack.command('/qc floor', userOf(inspector));
  if (ack.status !== 200) throw new Error(`floor bench: /qc floor ack ${ack.status}`);
  for (;;) {
    const rec = (await stack.store.floors.listFloors(inspector)).find((r) => r.channel && r.ts);
    if (rec && stack.slack.store.message(rec.channel as string, rec.ts as string))
      return { floorId: rec.floorId, inspector, ms: performance.now() - started };
    if (performance.now() - started > 60_000) throw new Error(`floor bench: no floor for ${inspector}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Staleness: from the simulator's time of the oldest change a message was waiting for (the event's own
 * `genTime`) to the end of the chat.update that drew it. Hooks the process's floor hub and notifier.
 */
function watchStaleness(stack: LocalStack): {
  worst: () => number;
  samples: number[];
  eventLag: number[];
  busy: () => number;
} {
  const hub = floorLiveFor(stack.deps);
  const waiting = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const samples: number[] = [];
  const eventLag: number[] = [];
  let busy = 0;
  let batchAt: number | undefined;
  const scheduler = hub.scheduler;
  const change = scheduler.change.bind(scheduler);
  scheduler.change = (ws, msg, state) => {
    if (!waiting.has(msg)) waiting.set(msg, batchAt ?? Date.now());
    change(ws, msg, state);
  };
  const take = scheduler.take.bind(scheduler);
  scheduler.take = () => {
    const due: Redraw<unknown>[] = take();
    for (const d of due) {
      const since = waiting.get(d.message);
      waiting.delete(d.message);
      if (since !== undefined) inFlight.set(d.message, Math.min(since, inFlight.get(d.message) ?? since));
    }
    return due as ReturnType<typeof take>;
  };
  const notifier = stack.deps.notifier;
  const update = notifier.updateFloor.bind(notifier);
  notifier.updateFloor = async (at, view, deadline) => {
    const result = await update(at, view, deadline).catch((err: unknown) => {
      busy++;
      throw err;
    });
    const since = inFlight.get(`${at.channel}:${at.ts}`);
    inFlight.delete(`${at.channel}:${at.ts}`);
    if (since !== undefined) samples.push(Date.now() - since);
    return result;
  };
  // The changes' own time: the events of each fold (the keeper folds one polled event at a time).
  const follow = hub.follow.bind(hub);
  hub.follow = (session) => {
    const floors = follow(session);
    const fold = floors.fold.bind(floors);
    floors.fold = (events) => {
      batchAt = events[0]?.genTime;
      if (batchAt !== undefined) eventLag.push(Date.now() - batchAt);
      fold(events);
      batchAt = undefined;
    };
    return floors;
  };
  return { worst: () => Math.max(0, ...samples), samples, eventLag, busy: () => busy };
}

export async function benchFloor(seconds = Number(process.env.BENCH_FLOOR_SECONDS ?? 60)): Promise<void> {
  const log = benchLogger();
  const stack = await startStack(log);
  const sim = stack.sim?.sim;
  try {
    if (!sim) throw new Error('floor bench: the local stack has no simulator');
    const staleness = watchStaleness(stack);
    await signInAll(stack);
    await waitFor(
      'every session leased',
      async () => {
        for (const i of INSPECTORS) if (!(await stack.store.getSession(i))?.leaseOwner) return false;
        return true;
      },
      60_000,
    );
    const slack = new SlackDriver(stack);
    const opened: Array<{ floorId: string; inspector: string; ms: number }> = [];
    for (const i of INSPECTORS) opened.push(await openFloor(stack, slack, i));
    const watching = (id: string) => sim.snapshot().agents.find((a) => a.id === id)?.watching.length ?? 0;
    await waitFor('every floor subscribed', () => INSPECTORS.every((i) => watching(i) >= 500), 60_000);

    const started = Date.now();
    sim.bursts.start({ changesPerSecond: 50, seconds, agents: 500, vdn: 1, seed: 1 });
    await waitFor('the burst', () => !sim.bursts.status()?.running, seconds * 1_000 + 60_000);
    const burstEnded = Date.now();
    const hub = floorLiveFor(stack.deps);
    const session = (await stack.store.getSession(INSPECTORS[0] as string)) as SessionRecord;
    const read = await stack.deps.gateway.allAgentStatus(gatewaySession(session));
    if (!read.ok) throw new Error('floor bench: truth not read');
    const diffs = () =>
      opened.map((o) => {
        const [channel, ts] = o.floorId.split(':') as [string, string];
        const m = stack.slack.store.message(channel, ts);
        const truth = read.data.agents.filter((e) => e.workNo !== o.inspector);
        return m ? floorDiff(m, truth) : ['message missing'];
      });
    // Drawn at ~50 a minute for 10 floors: let the last changes through.
    await waitFor(
      'every floor drawn',
      () => hub.scheduler.pendingCount() === 0 && diffs().every((d) => d.length === 0),
      120_000,
    ).catch(() => {
      // A timeout is a result here: the floors still wrong are counted as lost below.
    });
    const settledMs = Date.now() - burstEnded;

    const updates = stack.slack.store.callsOf('chat.update').filter((c) => c.at >= started);
    const ok = updates.filter((c) => c.ok);
    const perMessage = new Map<string, number[]>();
    for (const c of ok) {
      const key = `${c.args.channel}:${c.args.ts}`;
      perMessage.set(key, [...(perMessage.get(key) ?? []), c.at]);
    }
    const status = sim.bursts.status();
    emit({
      bench: 'floor',
      agents: 500,
      inspectors: INSPECTORS.length,
      seconds,
      changes: status?.done,
      skipped: status?.skipped,
      chatUpdates: ok.length,
      perMessageMaxPer3s: Math.max(0, ...[...perMessage.values()].map((t) => maxInWindow(t, 3_000))),
      workspaceMaxPer60s: maxInWindow(
        ok.map((c) => c.at),
        60_000,
      ),
      rateLimited429: stack.slack.store.calls.filter((c) => c.status === 429 && c.at >= started).length,
      lost: diffs().filter((d) => d.length > 0).length,
      lostDetail: diffs().flat().slice(0, 5),
      worstStalenessMs: staleness.worst(),
      staleness: summary(staleness.samples),
      // From a change at the simulator to the keeper folding it (polled one event at a time).
      eventLagMs: summary(staleness.eventLag),
      drawsNotTakenInTime: staleness.busy(),
      settledAfterBurstMs: settledMs,
      // `/qc floor` sent → the floor message in the DM and its record stored (one at a time).
      qcFloorAnswerMs: summary(opened.map((o) => o.ms)),
    });
  } finally {
    log.mute();
    await stack.close();
  }
}

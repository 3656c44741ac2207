/**
 * Burst on the local stack with Slack's rate limits on in the local Slack API (about one post a second
 * per channel with a short burst, Tier 3 for chat.update / conversations.open, 429 + Retry-After):
 * N inspectors (default 60), each signed in and listening to its own agent on a customer call, all send
 * `/intercept <agent>` at the same moment in the same channel (signed Slack requests, fired together).
 * Measures the ack latency, the time from the burst to each result in the channel (paced: about N
 * seconds to the last one), the 429s Slack answered, and the wall time. Correctness (throws when broken):
 * N results in the channel, none lost, none doubled, and exactly one intercept request per agent in the
 * simulator's request log. Results Slack cannot take within a worker's time are kept in the table and
 * posted by the keeper (docs/architecture.md, "Slack's rate limits").
 *
 * Setup, not measured (`bench/many-inspectors.ts`): links are written to the store; inspectors sign in
 * through the gateway directly (`signInInspector` with the stack's store, what the sign-in modal's
 * submission runs) rather than via the modal; `/qc listen <agent>` goes through Slack like any command.
 */
import type { StoreChange } from '../local/slack-api/index';
import { LOCAL_CHANNEL } from '../local/stack';
import { countDynamoOps, inBatches, startManyInspectors } from './many-inspectors';
import { emit, summary } from './stats';

export async function benchBurst(n = Number(process.env.BENCH_BURST ?? 60)): Promise<void> {
  // ---- setup: links, sign-ins, keeper leases, everything settled ----
  const { pairs, log, stack, sim, slack, until, waitAtMost, listensConfirmed, close } =
    await startManyInspectors('burst', n, 'U_BURST', { slackRateLimits: true });
  // Paced at about one post a second in the channel: allow twice that, plus a minute.
  const pacedMs = 60_000 + n * 2_000;
  try {
    // ---- /qc listen on every agent, everything settled ----
    const listenBefore = stack.slack.store.messages.length;
    await inBatches(pairs, 50, async (p) => {
      const res = await slack.command(`/qc listen ${p.agent}`, p.user);
      if (res.status !== 200) throw new Error(`burst: /qc listen ack ${res.status}`);
    });
    await until('every listen confirmed by its events', listensConfirmed, pacedMs);
    const listened = () =>
      stack.slack.store.messages
        .slice(listenBefore)
        .filter((m) => !m.threadTs && !m.ephemeralTo && /Listening to agent \d+\./.test(m.text ?? ''));
    // Results Slack could not take within a worker's time come later, from the keeper.
    await waitAtMost('every listen result in the channel', () => listened().length >= n, pacedMs);
    if (listened().length !== n) throw new Error(`burst: ${listened().length} listen results, expected ${n}`);

    // Baseline in the same run: the same burst from unlinked users is answered in the ack (link lookup,
    // nothing enqueued), so it shows the ack path alone under 200 concurrent requests.
    const baseline: number[] = [];
    await Promise.all(
      pairs.map(async (p) => {
        const body = slack.commandBody(`/intercept ${p.agent}`, `${p.user}_UNLINKED`);
        const t = performance.now();
        const res = await slack.post(body);
        baseline.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`burst: baseline ack ${res.status}`);
      }),
    );
    await stack.queue.drained();

    // DynamoDB operations of the store (worker, keeper) during the burst; the ack path's GetItem goes
    // through its own signed fetch and is not counted here (one per request).
    const dynamo = countDynamoOps(stack);

    // ---- the burst ----
    const resultsAt = new Map<string, number[]>();
    const okAgents = new Set<string>();
    const refusals: string[] = [];
    const onChange = (c: StoreChange) => {
      if (c.kind !== 'message' || c.message.threadTs) return;
      const text = c.message.text ?? '';
      if (c.message.ephemeralTo) {
        // Refusals and notices go only to the requester: during the burst there should be none.
        refusals.push(text);
        return;
      }
      const match = /(?:Intercepted the call of|intercept the call of) agent (\d+)/.exec(text);
      if (!match || c.message.channel !== LOCAL_CHANNEL) return;
      const agent = match[1] as string;
      resultsAt.set(agent, [...(resultsAt.get(agent) ?? []), performance.now()]);
      if (/Retcode 0: done/.test(text)) okAgents.add(agent);
    };
    const unsubscribe = stack.slack.store.on('change', onChange);
    const logBefore = sim.snapshot().requestCount;
    const bodies = pairs.map((p) => slack.commandBody(`/intercept ${p.agent}`, p.user));
    const acks: number[] = [];
    const ackFailures: string[] = [];
    const dynamoOps = dynamo.start();
    const limitedBefore = stack.slack.rateLimiter?.total ?? 0;
    const keptBefore = log.counts()['Slack rate limit: result kept; the keeper posts it'] ?? 0;
    const t0 = performance.now();
    await Promise.all(
      bodies.map(async (body) => {
        const t = performance.now();
        const res = await slack.post(body);
        acks.push(performance.now() - t);
        if (res.status !== 200 || !/Intercepting \d+/.test(String(res.json?.text)))
          ackFailures.push(`${res.status} ${res.text.slice(0, 120)}`);
      }),
    );
    const ackedAt = performance.now();
    await waitAtMost(`${n} intercept results`, () => resultsAt.size + refusals.length >= n, pacedMs);
    const lastResultAt = performance.now();
    const limited429s = (stack.slack.rateLimiter?.total ?? 0) - limitedBefore;
    const kept = (log.counts()['Slack rate limit: result kept; the keeper posts it'] ?? 0) - keptBefore;
    await stack.queue.drained();
    // A doubled result (redelivery, a second worker) would land shortly after: give it a moment.
    await new Promise((r) => setTimeout(r, 500));
    unsubscribe();
    dynamo.stop();

    const fromBurst = [...resultsAt.values()].map((times) => (times[0] as number) - t0);
    const doubled = [...resultsAt.values()].filter((times) => times.length > 1).length;
    const lost = pairs.filter((p) => !resultsAt.has(p.agent)).length;
    const intercepts = sim.requestsSince(logBefore).filter((e) => e.logName === 'intercept');
    const perAgent = new Map<string, number>();
    for (const e of intercepts) {
      const target = /\/intercept\/(\d+)/.exec(e.path)?.[1] ?? '?';
      perAgent.set(target, (perAgent.get(target) ?? 0) + 1);
    }
    const gatewayOnce = pairs.every((p) => perAgent.get(p.agent) === 1) && intercepts.length === n;
    const intercepted = sim.snapshot().calls.filter((c) => c.intercepted && c.agentId.startsWith('4')).length;

    emit({
      bench: 'burst.ack-baseline',
      unit: `ms (${n} /intercept from unlinked users fired at once: answered in the ack, nothing enqueued)`,
      ...summary(baseline),
      goal: 'p99 <= 3000',
    });
    emit({
      bench: 'burst.ack',
      unit: `ms (${n} signed /intercept requests fired at once: verify, parse, GetItem, enqueue, ack)`,
      ...summary(acks),
      failures: ackFailures.length,
      goal: "p99 <= 3000 (Slack's ack deadline)",
    });
    emit({
      bench: 'burst.result',
      unit: `ms from the burst to each intercept result in the channel (${n} inspectors, one channel, Slack's rate limits on)`,
      ...summary(fromBurst),
      goal: 'about one second per post in the channel (results and their thread lines share it)',
    });
    emit({
      bench: 'burst.slack-limits',
      unit: "results under Slack's rate limits (local Slack API: 1 post/s per channel, burst 5; Tier 3)",
      results_posted: resultsAt.size,
      time_to_last_ms: Math.round((lastResultAt - t0) * 10) / 10,
      ratelimited_429s: limited429s,
      kept_for_the_keeper: kept,
      lost,
      goal: `${n} posted, 0 lost (delayed, never dropped)`,
    });
    const correct =
      ackFailures.length === 0 && lost === 0 && doubled === 0 && okAgents.size === n && gatewayOnce;
    emit({
      bench: 'burst.total',
      unit: 'ms wall time from the first request sent to the last result posted',
      inspectors: n,
      wall_ms: Math.round((lastResultAt - t0) * 10) / 10,
      all_acked_ms: Math.round((ackedAt - t0) * 10) / 10,
      results: resultsAt.size,
      ok_results: okAgents.size,
      lost,
      doubled,
      refusals: refusals.length,
      gateway_intercepts: intercepts.length,
      gateway_intercept_retcodes: [...new Set(intercepts.map((e) => e.retcode))],
      agents_intercepted_once: pairs.filter((p) => perAgent.get(p.agent) === 1).length,
      calls_intercepted: intercepted,
      dead_letters: stack.queue.deadLetters.length,
      dynamo_ops: dynamoOps,
      log_warnings: log.counts(),
      goal: `${n} results in the channel (all retcode 0), 0 lost, 0 doubled, exactly one gateway intercept per agent`,
      correct,
    });
    if (!correct) {
      throw new Error(
        `burst: correctness broken — results ${resultsAt.size}/${n} (ok ${okAgents.size}), lost ${lost}, doubled ${doubled}, ` +
          `gateway intercepts ${intercepts.length}, ack failures ${ackFailures.length}, refusals ${refusals.slice(0, 2).join(' | ')}`,
      );
    }
  } finally {
    await close();
  }
}

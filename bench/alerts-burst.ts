/**
 * Monitoring alerts under a burst, on the local stack. N inspectors (default 100), each signed in, and N
 * agents on customer calls.
 *
 * 1. N signed `POST /alerts` fired at once (one per agent), plus a few byte-identical copies of some of
 *    them fired in the same burst (a sender's retry racing the original). Measures the HTTP answer time
 *    and the time from each request to its alert message in the channel. Correct when: N alert messages
 *    in the channel, exactly one per alert (none doubled, the copies answered `200 duplicate` or `503`
 *    and never posted), each 201 names the message's alert id and ts, and re-sending the copies after
 *    the burst answers `200 duplicate` with the first alert id.
 * 2. N Listen clicks at once, inspector i on alert i (agent i), some clicked twice with the same
 *    action_ts (a double click). Then, once every listen is confirmed, N Intercept clicks at once, again
 *    with some doubled. For each wave: the click's ack time, click → result in the alert's thread, and
 *    click → the alert message edited (chat.update) to show who is listening / who intercepted. Correct
 *    when: every click acked 200 with its ephemeral "…" answer, one result per alert in its thread (all
 *    retcode 0), no refusal, every alert message updated, and in the simulator's request log exactly one
 *    addSupervise (then one intercept) per inspector → agent, nothing else.
 *
 * Setup, not measured (`bench/many-inspectors.ts`, as in `bench/burst.ts`): links written to the store
 * and sign-ins through the gateway directly, every session leased by the keeper and settled before the
 * first alert.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { StoreChange, StoredMessage } from '../local/slack-api/index';
import { nowTs } from '../local/slack-sign';
import { LOCAL_CHANNEL } from '../local/stack';
import { buttonsOf } from '../test/e2e/driver';
import { countDynamoOps, inBatches, type Pair, startManyInspectors } from './many-inspectors';
import { emit, summary } from './stats';

const REASON = /alert: agent (\d+): Burst alert #(\d+)\b/;

const round1 = (n: number) => Math.round(n * 10) / 10;
const blocksText = (m: StoredMessage) => JSON.stringify(m.blocks ?? []);
/** The alert id a message's buttons carry (`op:agent:alertId`). */
const alertIdOf = (m: StoredMessage) => buttonsOf(m.blocks)[0]?.value.split(':')[2];

interface WaveResult {
  acks: number[];
  ackFailures: string[];
  toResult: number[];
  toUpdate: number[];
  results: number;
  okResults: number;
  doubledResults: number;
  progressAnswers: number;
  refusals: string[];
  updated: number;
  gatewayCalls: number;
  gatewayOnce: number;
  otherGatewayCalls: Record<string, number>;
  deduplicated: number;
  /** chat.update calls on the alert messages during the wave (one per operation expected). */
  alertUpdates: number;
  /** Event-loop delay while the wave ran (everything shares one process on this machine). */
  loopDelay: { p50: number; p99: number; max: number };
  /** DynamoDB operations of the store (worker, keeper) while the wave ran; the ack path's link reads are apart. */
  dynamoOps: Record<string, number>;
}

export async function benchAlertsBurst(n = Number(process.env.BENCH_ALERTS ?? 100)): Promise<void> {
  const copies = Math.min(10, Math.floor(n / 10));
  const doubles = Math.min(10, Math.floor(n / 10));
  // ---- setup: links, sign-ins, keeper leases, everything settled ----
  const { pairs, log, stack, sim, slack, until, waitAtMost, listensConfirmed, close } =
    await startManyInspectors('alerts-burst', n, 'U_ALERT');
  const byAgent = new Map(pairs.map((p) => [p.agent, p]));
  const store = stack.slack.store;
  const unsubscribes: Array<() => void> = [];
  const watch = (fn: (c: StoreChange) => void) => {
    const off = store.on('change', fn);
    unsubscribes.push(off);
    return off;
  };
  try {
    // ---- 1. the alert burst ----
    const timestamp = Math.floor(Date.now() / 1000);
    const requests = pairs.map((p) => ({
      pair: p,
      body: JSON.stringify({
        channel: LOCAL_CHANNEL,
        agentId: p.agent,
        reason: `Burst alert #${p.index}: customer asked for a supervisor`,
        severity: (['info', 'warning', 'critical'] as const)[p.index % 3],
        callId: `1732500000-${p.agent}`,
      }),
    }));
    // Byte-identical copies (same body, same timestamp, so the same signature) of the first alerts.
    const copied = requests.slice(0, copies);
    const postedAt = new Map<number, number[]>();
    const postedMessage = new Map<number, StoredMessage>();
    const offPosted = watch((c) => {
      if (c.kind !== 'message' || c.message.threadTs || c.message.ephemeralTo) return;
      if (c.message.channel !== LOCAL_CHANNEL) return;
      const match = REASON.exec(c.message.text ?? '');
      if (!match) return;
      const index = Number(match[2]);
      postedAt.set(index, [...(postedAt.get(index) ?? []), performance.now()]);
      if (!postedMessage.has(index)) postedMessage.set(index, c.message);
    });
    const alertPostsBefore = store.callsOf('chat.postMessage').length;
    type Answer = { index: number; copy: boolean; status: number; json: Record<string, unknown> | undefined };
    const answers: Answer[] = [];
    const httpTimes: number[] = [];
    const sentAt = new Map<number, number>();
    const postOne = async (r: (typeof requests)[number], copy: boolean) => {
      const t = performance.now();
      if (!copy) sentAt.set(r.pair.index, t);
      const res = await slack.postAlert(r.body, { timestamp });
      if (!copy) httpTimes.push(performance.now() - t);
      answers.push({ index: r.pair.index, copy, status: res.status, json: res.json });
    };
    const a0 = performance.now();
    await Promise.all([...requests.map((r) => postOne(r, false)), ...copied.map((r) => postOne(r, true))]);
    const alertsAnsweredAt = performance.now();
    // Every 201 was answered after its message was posted; a doubled post would come with a retry.
    await new Promise((r) => setTimeout(r, 300));
    offPosted();

    const alertProblems: string[] = [];
    const alerts = new Map<number, { alertId: string; message: StoredMessage }>();
    for (const p of pairs) {
      const mine = answers.filter((a) => a.index === p.index);
      const created = mine.filter((a) => a.status === 201);
      const message = postedMessage.get(p.index);
      if (created.length !== 1) {
        alertProblems.push(
          `#${p.index}: ${created.length} answers 201 (${mine.map((a) => a.status).join(',')})`,
        );
        continue;
      }
      const first = created[0] as Answer;
      const alertId = String(first.json?.alert_id);
      for (const other of mine.filter((a) => a !== first)) {
        const dup =
          other.status === 200 && other.json?.duplicate === true && other.json?.alert_id === alertId;
        if (!dup && other.status !== 503)
          alertProblems.push(`#${p.index}: the copy answered ${other.status} ${JSON.stringify(other.json)}`);
      }
      if (!message) {
        alertProblems.push(`#${p.index}: no alert message`);
        continue;
      }
      if (alertIdOf(message) !== alertId || first.json?.ts !== message.ts)
        alertProblems.push(
          `#${p.index}: the 201 names ${alertId}/${first.json?.ts}, the message ${message.ts}`,
        );
      alerts.set(p.index, { alertId, message });
    }
    const alertMessages = store.channelMessages(LOCAL_CHANNEL).filter((m) => REASON.test(m.text ?? ''));
    const perAlertId = new Map<string, number>();
    for (const m of alertMessages) {
      const id = alertIdOf(m) ?? '?';
      perAlertId.set(id, (perAlertId.get(id) ?? 0) + 1);
    }
    const doubledAlerts =
      [...postedAt.values()].filter((t) => t.length > 1).length +
      [...perAlertId.values()].filter((c) => c > 1).length;
    const postedTimes = pairs.flatMap((p) => {
      const at = postedAt.get(p.index)?.[0];
      const sent = sentAt.get(p.index);
      return at !== undefined && sent !== undefined ? [at - sent] : [];
    });
    // Stored records point at their messages (a click must find the alert).
    let recordsOk = 0;
    await inBatches([...alerts.values()], 25, async ({ alertId, message }) => {
      const rec = await stack.store.alerts.getAlert(alertId);
      if (rec?.ts === message.ts && rec.channel === LOCAL_CHANNEL) recordsOk++;
    });
    // The sender retries the copies after the burst: answered from the first post, nothing posted.
    const messagesBeforeRetry = store.messages.length;
    const retries = await Promise.all(copied.map((r) => slack.postAlert(r.body, { timestamp })));
    const retriesOk = retries.filter(
      (res, i) =>
        res.status === 200 &&
        res.json?.duplicate === true &&
        res.json?.alert_id === alerts.get(copied[i]?.pair.index ?? 0)?.alertId,
    ).length;
    const postedByRetry = store.messages.length - messagesBeforeRetry;
    const statusCount = (copy: boolean) => {
      const out: Record<string, number> = {};
      for (const a of answers.filter((x) => x.copy === copy)) out[a.status] = (out[a.status] ?? 0) + 1;
      return out;
    };

    emit({
      bench: 'alerts-burst.alert-http',
      unit: `ms per signed POST /alerts (${n} alerts + ${copies} identical copies fired at once): verify, claim, store, chat.postMessage, answer`,
      ...summary(httpTimes),
      statuses: statusCount(false),
      copy_statuses: statusCount(true),
      goal: 'p99 <= 5000',
    });
    emit({
      bench: 'alerts-burst.alert-posted',
      unit: `ms from each POST /alerts to its alert message in the channel (${n} alerts)`,
      ...summary(postedTimes),
      all_answered_ms: round1(alertsAnsweredAt - a0),
      goal: 'p99 <= 5000',
    });
    const alertsCorrect =
      alertProblems.length === 0 &&
      alerts.size === n &&
      alertMessages.length === n &&
      perAlertId.size === n &&
      doubledAlerts === 0 &&
      recordsOk === n &&
      retriesOk === copies &&
      postedByRetry === 0;
    const alertSummary = {
      alerts: n,
      copies,
      messages_in_channel: alertMessages.length,
      distinct_alert_ids: perAlertId.size,
      doubled: doubledAlerts,
      chat_post_messages: store.callsOf('chat.postMessage').length - alertPostsBefore,
      records_pointing_at_message: recordsOk,
      retries_answered_duplicate: retriesOk,
      posted_by_retries: postedByRetry,
      problems: alertProblems.slice(0, 5),
      correct: alertsCorrect,
    };
    if (!alertsCorrect) {
      emit({ bench: 'alerts-burst.total', ...alertSummary });
      throw new Error(`alerts-burst: alert burst broken — ${JSON.stringify(alertSummary)}`);
    }

    // ---- 2. the click waves ----
    const dynamo = countDynamoOps(stack);
    const wave = async (
      op: 'listen' | 'intercept',
      logName: string,
      result: RegExp,
      updated: (m: StoredMessage, p: Pair) => boolean,
      doubled: Set<number>,
    ): Promise<WaveResult> => {
      const resultAt = new Map<string, number[]>();
      const okAgents = new Set<string>();
      const updatedAt = new Map<string, number>();
      const refusals: string[] = [];
      let progressAnswers = 0;
      const alertTs = new Set([...alerts.values()].map((a) => a.message.ts));
      const agentOfTs = new Map(pairs.map((p) => [alerts.get(p.index)?.message.ts ?? '', p] as const));
      const offWave = watch((c) => {
        if (c.kind !== 'message' && c.kind !== 'update') return;
        const m = c.message;
        const text = m.text ?? '';
        if (c.kind === 'update') {
          const p = agentOfTs.get(m.ts);
          if (p && !m.threadTs && !updatedAt.has(p.agent) && updated(m, p))
            updatedAt.set(p.agent, performance.now());
          return;
        }
        if (m.ephemeralTo) {
          if (/^:hourglass_flowing_sand:/.test(text)) progressAnswers++;
          else refusals.push(`${m.ephemeralTo}: ${text.slice(0, 160)}`);
          return;
        }
        if (!m.threadTs || !alertTs.has(m.threadTs)) return;
        const match = result.exec(text);
        if (!match) return;
        const agent = match[1] as string;
        resultAt.set(agent, [...(resultAt.get(agent) ?? []), performance.now()]);
        if (/Retcode 0: done/.test(text) && agentOfTs.get(m.threadTs)?.agent === agent) okAgents.add(agent);
      });
      const logBefore = sim.snapshot().requestCount;
      const dedupBefore = stack.queue.deduplicated;
      const callsBefore = store.calls.length;
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const ops = dynamo.start();
      const clickAt = new Map<string, number>();
      const acks: number[] = [];
      const ackFailures: string[] = [];
      const clicks = pairs.flatMap((p) => {
        const alert = alerts.get(p.index) as { message: StoredMessage };
        const actionTs = nowTs();
        const one = { p, message: alert.message, actionTs };
        return doubled.has(p.index) ? [one, one] : [one];
      });
      await Promise.all(
        clicks.map(async ({ p, message, actionTs }) => {
          const t = performance.now();
          if (!clickAt.has(p.agent)) clickAt.set(p.agent, t);
          const res = await slack.clickButton(p.user, message, `${op}:`, { actionTs });
          acks.push(performance.now() - t);
          if (res.status !== 200) ackFailures.push(`${p.user}: ${res.status} ${res.text.slice(0, 120)}`);
        }),
      );
      await waitAtMost(
        `${n} ${op} results and alert updates`,
        () => resultAt.size + refusals.length >= n && updatedAt.size >= n,
        60_000,
      );
      await stack.queue.drained();
      loop.disable();
      dynamo.stop();
      // A doubled result (redelivery, a second worker) would land shortly after: give it a moment.
      await new Promise((r) => setTimeout(r, 500));
      offWave();
      const alertUpdates = store.calls
        .slice(callsBefore)
        .filter((c) => c.method === 'chat.update' && c.ok && alertTs.has(String(c.args.ts))).length;
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      const since = (at: Map<string, number | number[]>) =>
        pairs.flatMap((p) => {
          const v = at.get(p.agent);
          const first = Array.isArray(v) ? v[0] : v;
          const sent = clickAt.get(p.agent);
          return first !== undefined && sent !== undefined ? [first - sent] : [];
        });
      const calls = sim.requestsSince(logBefore).filter((e) => e.logName !== 'getAgentEvent');
      const mine = calls.filter((e) => e.logName === logName);
      const perPath = new Map<string, number>();
      for (const e of mine) perPath.set(e.path, (perPath.get(e.path) ?? 0) + 1);
      const once = pairs.filter((p) => {
        const hits = [...perPath.entries()].filter(([path]) =>
          new RegExp(`/qualitycontrol/${p.inspector}/\\w+/${p.agent}(?:[/?]|$)`).test(path),
        );
        return hits.length === 1 && hits[0]?.[1] === 1;
      }).length;
      const other: Record<string, number> = {};
      for (const e of calls.filter((x) => x.logName !== logName))
        other[e.logName] = (other[e.logName] ?? 0) + 1;
      return {
        acks,
        ackFailures,
        toResult: since(resultAt),
        toUpdate: since(updatedAt),
        results: resultAt.size,
        okResults: okAgents.size,
        doubledResults: [...resultAt.values()].filter((t) => t.length > 1).length,
        progressAnswers,
        refusals,
        updated: updatedAt.size,
        gatewayCalls: mine.length,
        gatewayOnce: once,
        otherGatewayCalls: other,
        deduplicated: stack.queue.deduplicated - dedupBefore,
        alertUpdates,
        dynamoOps: ops,
        loopDelay: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      };
    };

    const report = (op: string, clicksN: number, w: WaveResult) => {
      emit({
        bench: `alerts-burst.${op}-ack`,
        unit: `ms per signed ${op} click on an alert (${clicksN} clicks at once, ${doubles} of them doubled)`,
        ...summary(w.acks),
        failures: w.ackFailures.length,
        goal: "p99 <= 3000 (Slack's ack deadline)",
      });
      emit({
        bench: `alerts-burst.${op}-result`,
        unit: `ms from the click to its result in the alert's thread (${n} inspectors)`,
        ...summary(w.toResult),
        goal: 'p99 <= 5000',
      });
      emit({
        bench: `alerts-burst.${op}-alert-updated`,
        unit: `ms from the click to the alert message edited (chat.update) to show it (${n} alerts)`,
        ...summary(w.toUpdate),
        goal: 'p99 <= 6000',
      });
    };
    const waveCorrect = (w: WaveResult, clicksN: number) =>
      w.ackFailures.length === 0 &&
      w.acks.length === clicksN &&
      w.progressAnswers === clicksN &&
      w.refusals.length === 0 &&
      w.results === n &&
      w.okResults === n &&
      w.doubledResults === 0 &&
      w.updated === n &&
      w.gatewayCalls === n &&
      w.gatewayOnce === n &&
      Object.keys(w.otherGatewayCalls).length === 0 &&
      w.deduplicated === doubles &&
      w.alertUpdates === n;
    const waveFigures = (w: WaveResult, clicksN: number) => ({
      clicks: clicksN,
      acked: w.acks.length - w.ackFailures.length,
      progress_answers: w.progressAnswers,
      results: w.results,
      ok_results: w.okResults,
      doubled_results: w.doubledResults,
      refusals: w.refusals.length,
      alerts_updated: w.updated,
      gateway_calls: w.gatewayCalls,
      pairs_with_exactly_one_call: w.gatewayOnce,
      other_gateway_calls: w.otherGatewayCalls,
      double_clicks_deduplicated: w.deduplicated,
      alert_message_updates: w.alertUpdates,
      event_loop_delay_ms: w.loopDelay,
      dynamo_ops: w.dynamoOps,
    });

    // Listen: inspector i on alert i; the first `doubles` inspectors double-click.
    const listenDoubled = new Set(pairs.slice(0, doubles).map((p) => p.index));
    const listen = await wave(
      'listen',
      'addSupervise',
      /(?:Listening to|could not listen to) agent (\d+)/,
      (m, p) => blocksText(m).includes(`<@${p.user}> listening to ${p.agent} since`),
      listenDoubled,
    );
    report('listen', n + doubles, listen);
    const listenOk = waveCorrect(listen, n + doubles);

    // Intercept needs the listen established (the inspector's phone answered): settle, not measured.
    if (listenOk) await until('every listen confirmed by its events', listensConfirmed);
    // Intercept: the last `doubles` inspectors double-click (the confirmation dialog is Slack's).
    const interceptDoubled = new Set(pairs.slice(n - doubles).map((p) => p.index));
    const intercept = listenOk
      ? await wave(
          'intercept',
          'intercept',
          /(?:Intercepted the call of|could not intercept the call of) agent (\d+)/,
          (m, p) =>
            blocksText(m).includes(`Intercepted by <@${p.user}>`) &&
            buttonsOf(m.blocks)
              .map((b) => b.text?.text)
              .join() === 'Stop',
          interceptDoubled,
        )
      : undefined;
    if (intercept) report('intercept', n + doubles, intercept);
    const interceptOk = intercept ? waveCorrect(intercept, n + doubles) : false;
    const intercepted = sim.snapshot().calls.filter((c) => c.intercepted && byAgent.has(c.agentId)).length;
    const updates = store.callsOf('chat.update').filter((c) => c.ok).length;

    const correct = alertsCorrect && listenOk && interceptOk;
    emit({
      bench: 'alerts-burst.total',
      unit: 'correctness of the alert burst and of the click waves',
      ...alertSummary,
      listen: waveFigures(listen, n + doubles),
      ...(intercept ? { intercept: waveFigures(intercept, n + doubles) } : {}),
      calls_intercepted: intercepted,
      chat_updates_ok: updates,
      dead_letters: stack.queue.deadLetters.length,
      log_warnings: log.counts(),
      goal:
        `${n} alert messages, one per alert id; every click acked and answered; one result per alert per wave ` +
        '(retcode 0); every alert message updated; exactly one gateway call per inspector → agent per wave',
      correct,
    });
    if (!correct) {
      const sample = [...listen.refusals, ...(intercept?.refusals ?? [])].slice(0, 3).join(' | ');
      throw new Error(
        `alerts-burst: correctness broken — listen ${JSON.stringify(waveFigures(listen, n + doubles))}` +
          (intercept
            ? `, intercept ${JSON.stringify(waveFigures(intercept, n + doubles))}`
            : ', no intercept wave') +
          (sample ? `; refusals: ${sample}` : ''),
      );
    }
  } finally {
    for (const off of unsubscribes) off();
    await close();
  }
}

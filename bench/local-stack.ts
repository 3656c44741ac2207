/**
 * On the local stack (real handlers, dynalite, simulator over HTTPS, local Slack API):
 * - warm ack latency of the Slack function for `/intercept` (link lookup + enqueue + ack), HTTP round trip;
 * - end to end: `/intercept` → gateway request → result posted in the channel, per call.
 */
import { type LocalStack, startLocalStack } from '../local/stack';
import { SlackDriver } from '../test/e2e/driver';
import { emit, summary } from './stats';

export async function benchLocalStack(iterations = Number(process.env.BENCH_E2E ?? 40)): Promise<void> {
  const stack: LocalStack = await startLocalStack({
    simulator: { pollHoldMs: 200 },
    keeper: { rescanMs: 200 },
  });
  const slack = new SlackDriver(stack);
  try {
    await slack.signIn('U_DEMO');
    // Warm ack: an unlinked user's /intercept is answered in the ack (link lookup, no queue) and a
    // linked user's /qc status is enqueued; both are pure ack-path work.
    const acks: number[] = [];
    for (let i = 0; i < 300; i++) {
      const body = slack.commandBody('/qc status');
      const t = performance.now();
      const res = await slack.post(body);
      acks.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`ack ${res.status}`);
    }
    await stack.queue.drained();
    emit({
      bench: 'slack.warm-ack',
      unit: 'ms (signed HTTP round trip: verify, parse, GetItem, enqueue, ack)',
      ...summary(acks.slice(50)),
      goal: 'p99 <= 20',
    });

    const e2e: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const agent = String(2001 + (i % 20));
      try {
        stack.sim?.sim.startCall(agent);
      } catch {
        // already on a call (2005 and 2006 are, in the default scenario)
      }
      await slack.command(`/qc listen ${agent}`);
      await slack.waitForChannelMessage(new RegExp(`Listening to agent ${agent}\\.`));
      const before = stack.slack.store.messages.length;
      const t = performance.now();
      await slack.command(`/intercept ${agent}`);
      await stack.slack.store.waitFor((s) =>
        s.messages
          .slice(before)
          .find((m) => new RegExp(`Intercepted the call of agent ${agent}`).test(m.text ?? '')),
      );
      e2e.push(performance.now() - t);
      stack.sim?.sim.endCall('1001');
      await stack.slack.store.waitFor((s) =>
        s.messages.slice(before).find((m) => /idle again/.test(m.text ?? '')),
      );
      await stack.queue.drained();
      // Let the keeper settle the monitoring state (Ready clears it) before the next round.
      for (let wait = 0; wait < 100 && (await stack.store.getMonitoring('1001'))?.agentId; wait++) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    emit({
      bench: 'local.e2e-intercept',
      unit: 'ms (/intercept ack → gateway → chat.postMessage in the channel)',
      ...summary(e2e),
      goal: 'p50 <= 50',
    });
  } finally {
    await stack.close();
  }
}

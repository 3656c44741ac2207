/**
 * Slack's rate limits on in the local Slack API (per channel posting with a burst, Tier 3, 429 with
 * Retry-After): a burst of QC results in one channel from many inspectors at once all arrive in the
 * channel, none refused or lost, each inspector's listen result before its intercept result.
 * Inspectors are set up as the burst bench does (bench/many-inspectors.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManyInspectors } from '../../bench/many-inspectors';
import { LOCAL_CHANNEL } from '../../local/stack';

const N = 8;
let env: Awaited<ReturnType<typeof startManyInspectors>>;

beforeAll(async () => {
  // Stricter on bursts than Slack (2 posts/s per channel, no burst): the notifier paces at Slack's
  // 1/s with a burst of 4, so the fake answers 429s that must be waited out, as from another worker.
  env = await startManyInspectors('e2e rate limits', N, 'U_RL', {
    slackRateLimits: { postPerChannel: { perMinute: 120, burst: 1 } },
  });
}, 120_000);
afterAll(async () => {
  await env?.close();
});

const resultsIn = (pattern: RegExp) =>
  env.stack.slack.store.messages.filter(
    (m) => m.channel === LOCAL_CHANNEL && !m.threadTs && !m.ephemeralTo && pattern.test(m.text ?? ''),
  );

describe("a burst of results in one channel under Slack's rate limits", () => {
  it('every listen and intercept result arrives in the channel, in order per inspector, none refused', async () => {
    const { pairs, slack, stack, until } = env;
    const before = stack.slack.rateLimiter?.total ?? 0;
    await Promise.all(pairs.map((p) => slack.command(`/qc listen ${p.agent}`, p.user)));
    await Promise.all(pairs.map((p) => slack.command(`/intercept ${p.agent}`, p.user)));
    await until(
      'every intercept result in the channel',
      () => resultsIn(/(?:Intercepted the call of|intercept the call of) agent \d+/).length >= N,
      60_000,
    );
    await stack.queue.drained();
    const messages = stack.slack.store.messages;
    expect(messages.filter((m) => m.ephemeralTo).map((m) => m.text)).toEqual([]);
    for (const p of pairs) {
      const listen = messages.findIndex(
        (m) =>
          m.channel === LOCAL_CHANNEL && !m.threadTs && m.text?.includes(`Listening to agent ${p.agent}.`),
      );
      const intercept = messages.findIndex(
        (m) =>
          m.channel === LOCAL_CHANNEL &&
          !m.threadTs &&
          /ntercept/.test(m.text ?? '') &&
          m.text?.includes(`agent ${p.agent}`),
      );
      expect(listen, `listen result of ${p.agent}`).toBeGreaterThanOrEqual(0);
      expect(intercept, `intercept result of ${p.agent}`).toBeGreaterThan(listen);
    }
    expect(stack.queue.deadLetters).toEqual([]);
    expect((stack.slack.rateLimiter?.total ?? 0) - before).toBeGreaterThan(0);
  }, 90_000);
});

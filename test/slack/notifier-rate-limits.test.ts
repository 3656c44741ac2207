/**
 * A burst of QC results in one channel against the local Slack API with Slack's rate limits on
 * (per channel posting with a burst; 429 with Retry-After): every result arrives in the channel, in
 * the order it was reported, none turned into an ephemeral "Slack refused" answer; what Slack cannot
 * take within the notifier's budget is kept in the table and posted later by `deliverKept`.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedFakeSlack, startFakeSlack } from '../../local/slack-api/index';
import type { QcOutcome } from '../../src/qc/outcome';
import { NOTIFIER_WEB_OPTIONS, SlackNotifier } from '../../src/slack/notifier';
import type { KeptPost, KeptPosts } from '../../src/store/types';
import { quietWebLogger } from '../helpers/fake-slack';
import { captureLogger } from '../helpers/log-capture';

let fake: StartedFakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await startFakeSlack({
    botToken: 'xoxb-rate',
    // Slack's shape, ten times faster so the test is short: 10 posts/s per channel, a burst of 2.
    rateLimits: { postPerChannel: { perMinute: 600, burst: 2 } },
  });
  // As the worker configures it (src/runtime/worker-deps.ts).
  client = new WebClient('xoxb-rate', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 2, minTimeout: 50, maxTimeout: 2_000 },
    logger: quietWebLogger,
    ...NOTIFIER_WEB_OPTIONS,
  });
});
afterAll(async () => {
  await fake.close();
});

const ctx = { teamId: 'T_LOCAL', userId: 'U_DEMO', channelId: 'C_QC' };
const outcome = (agentId: string): QcOutcome => ({
  kind: 'gateway',
  op: 'listen',
  call: 'listen',
  agentId,
  inspectorId: '1001',
  ok: true,
  retcode: '0',
  latencyMs: 5,
});

class MemoryKept implements KeptPosts {
  posts: KeptPost[] = [];
  async keep(p: KeptPost) {
    this.posts.push(p);
  }
  async list(limit: number) {
    return [...this.posts].sort((a, b) => a.at - b.at).slice(0, limit);
  }
  async remove(p: KeptPost) {
    this.posts = this.posts.filter((x) => x.id !== p.id);
  }
}

const agentsInChannel = () =>
  fake.store.messages
    .filter((m) => m.channel === 'C_QC' && !m.ephemeralTo)
    .map((m) => /agent (\d+)/.exec(m.text ?? '')?.[1]);

describe('a burst of results in one channel', () => {
  it('all arrive in the channel, in order, none refused (429s waited out)', async () => {
    fake.store.reset();
    // Pacing twice what the fake allows: like two workers posting at once, Slack answers 429s.
    const notifier = new SlackNotifier(client, captureLogger(), {
      pacing: { post: { perMinute: 1_200, burst: 4 } },
    });
    const agents = Array.from({ length: 12 }, (_, i) => String(2001 + i));
    const threads = await Promise.all(agents.map((a) => notifier.report(ctx, outcome(a))));
    expect(fake.store.messages.filter((m) => m.ephemeralTo).map((m) => m.text)).toEqual([]);
    expect(agentsInChannel()).toEqual(agents);
    expect(threads.every((t) => t?.channel === 'C_QC')).toBe(true);
    expect(fake.rateLimiter?.total ?? 0).toBeGreaterThan(0);
  }, 20_000);

  it('what Slack cannot take within the budget is kept, then posted in order by deliverKept', async () => {
    fake.store.reset();
    const kept = new MemoryKept();
    const notifier = new SlackNotifier(client, captureLogger(), {
      pacing: { post: { perMinute: 600, burst: 2 } },
      budgetMs: 250,
      kept,
    });
    const agents = Array.from({ length: 8 }, (_, i) => String(3001 + i));
    const threads = await Promise.all(agents.map((a) => notifier.report(ctx, outcome(a))));
    expect(fake.store.messages.filter((m) => m.ephemeralTo)).toEqual([]);
    const posted = agentsInChannel();
    expect(posted.length).toBeLessThan(agents.length);
    expect(kept.posts.length).toBe(agents.length - posted.length);
    expect(threads.filter((t) => t === null).length).toBe(kept.posts.length);
    // The keeper's run: everything left, in order, after what was posted.
    for (let i = 0; i < 20 && kept.posts.length > 0; i++) await notifier.deliverKept(Date.now() + 2_000);
    expect(kept.posts).toEqual([]);
    expect(agentsInChannel()).toEqual(agents);
  }, 20_000);
});

/**
 * The local Slack API enforces Slack's rate limits when asked (`rateLimits`): chat.postMessage per
 * channel with a burst, the other methods per method per workspace by tier, HTTP 429 with
 * `Retry-After` and `{ ok: false, error: 'ratelimited' }`. On a fake clock: no dependence on speed.
 * And the notifier's pacer (src/slack/pacing.ts) on a fake clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedFakeSlack, startFakeSlack } from '../../local/slack-api/index';
import { Pacer, SlackBusyError } from '../../src/slack/pacing';

let now = 1_764_000_000_000;
let limited: StartedFakeSlack;
let open: StartedFakeSlack;

beforeAll(async () => {
  limited = await startFakeSlack({
    botToken: 'xoxb-rl',
    clock: () => now,
    rateLimits: true,
    channels: [
      { id: 'C_QC', name: 'qc' },
      { id: 'C_TWO', name: 'two' },
    ],
  });
  open = await startFakeSlack({ botToken: 'xoxb-rl', clock: () => now });
});
afterAll(async () => {
  await limited.close();
  await open.close();
});

async function call(fake: StartedFakeSlack, method: string, args: Record<string, unknown>) {
  const res = await fetch(`${fake.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: 'Bearer xoxb-rl', 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = (await res.json()) as { ok: boolean; ts?: string; error?: string };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
}
const post = (fake: StartedFakeSlack, channel: string, text = 'hi') =>
  call(fake, 'chat.postMessage', { channel, text });

describe('local Slack API rate limits', () => {
  it('chat.postMessage: a burst of 5 per channel, then 429 Retry-After until a second has passed', async () => {
    for (let i = 0; i < 5; i++) expect((await post(limited, 'C_QC')).status).toBe(200);
    const refused = await post(limited, 'C_QC');
    expect(refused).toEqual({ status: 429, retryAfter: '1', body: { ok: false, error: 'ratelimited' } });
    // Another channel has its own allowance.
    expect((await post(limited, 'C_TWO')).body.ok).toBe(true);
    now += 1_000;
    expect((await post(limited, 'C_QC')).body.ok).toBe(true);
    expect((await post(limited, 'C_QC')).status).toBe(429);
    expect(limited.rateLimiter?.limited.get('chat.postMessage')).toBe(2);
    // A refused call posts nothing.
    expect(limited.store.messages.filter((m) => m.channel === 'C_QC')).toHaveLength(6);
  });

  it('Tier 3 (chat.update, conversations.open): per method per workspace, Retry-After in seconds', async () => {
    now += 60_000;
    const { body } = await post(limited, 'C_TWO');
    const ts = body.ts as string;
    const update = () => call(limited, 'chat.update', { channel: 'C_TWO', ts, text: 'edited' });
    for (let i = 0; i < 10; i++) expect((await update()).status).toBe(200);
    const refused = await update();
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe('2'); // 50 a minute: the next token in 1.2 s
    // Another method of the same tier is counted on its own.
    expect((await call(limited, 'conversations.open', { users: 'U_DEMO' })).body.ok).toBe(true);
    now += 1_200;
    expect((await update()).status).toBe(200);
  });

  it('off by default (unit tests): 30 posts at once are all taken', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => post(open, 'C_QC')));
    expect(answers.every((a) => a.status === 200 && a.body.ok)).toBe(true);
  });
});

describe('the notifier pacer', () => {
  const clock = () => {
    const c = { t: 0, slept: [] as number[] };
    return Object.assign(c, {
      now: () => c.t,
      sleep: async (ms: number) => {
        c.slept.push(ms);
        c.t += ms;
      },
    });
  };

  it('spreads a burst per channel: 4 at once, then one a second, in call order', async () => {
    const c = clock();
    const pacer = new Pacer({ now: c.now, sleep: c.sleep });
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        pacer.run('post:C_QC', 60_000, async () => {
          order.push(i);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(c.slept).toEqual([1_000, 1_000]);
  });

  it('a 429 holds the lane for its Retry-After and the call is made again, keeping its place', async () => {
    const c = clock();
    const pacer = new Pacer({ now: c.now, sleep: c.sleep });
    let first = true;
    const seen: string[] = [];
    const rateLimited = Object.assign(new Error('ratelimited'), {
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 3,
    });
    await Promise.all([
      pacer.run('post:C_QC', 60_000, async () => {
        seen.push(`a@${c.t}`);
        if (first) {
          first = false;
          throw rateLimited;
        }
      }),
      pacer.run('post:C_QC', 60_000, async () => {
        seen.push(`b@${c.t}`);
      }),
    ]);
    expect(seen).toEqual(['a@0', 'a@3000', 'b@3000']);
  });

  it('waiting behind a slow call ends at the deadline; the next call still waits for the slow one', async () => {
    const pacer = new Pacer();
    let finishSlow = () => {};
    const slow = pacer.run(
      'post:C_QC',
      Date.now() + 60_000,
      () =>
        new Promise<void>((r) => {
          finishSlow = r;
        }),
    );
    const impatient = pacer.run('post:C_QC', Date.now() + 50, async () => 'made');
    let thirdRan = false;
    const third = pacer.run('post:C_QC', Date.now() + 60_000, async () => {
      thirdRan = true;
    });
    await expect(impatient).rejects.toBeInstanceOf(SlackBusyError);
    expect(thirdRan).toBe(false);
    finishSlow();
    await slow;
    await third;
    expect(thirdRan).toBe(true);
  });

  it('a turn past the deadline is SlackBusyError, and the call is not made', async () => {
    const c = clock();
    const pacer = new Pacer({ now: c.now, sleep: c.sleep });
    pacer.hold('method:chat.update', 30);
    let called = false;
    await expect(
      pacer.run('method:chat.update', 20_000, async () => {
        called = true;
      }),
    ).rejects.toBeInstanceOf(SlackBusyError);
    expect(called).toBe(false);
  });
});

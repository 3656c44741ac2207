/**
 * What reaches the Slack function is checked before anything is parsed or queued: a request signed
 * with a timestamp more than 5 minutes from now (either way) is refused with 401, and an interactive
 * request whose `payload` is not JSON gets 400 when signed and 401 when not, never 500.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { interactionBody } from '../../local/slack-sign';
import { useLocalStack } from './support';

const env = useLocalStack({ console: false });
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  await env.signIn('U_DEMO', '1001');
});

afterEach(() => {
  vi.restoreAllMocks();
});

function watchQueue() {
  return vi.spyOn(env.stack.queue, 'send');
}

describe('Slack request timestamps', () => {
  it('a signed command with the current timestamp is queued (the control)', async () => {
    const send = watchQueue();
    const res = await env.slack.post(env.slack.commandBody('/qc listen 2005', 'U_DEMO'));
    expect(res.status).toBe(200);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['one hour ahead', 3_600],
    ['six minutes ahead', 360],
    ['one hour behind', -3_600],
    ['six minutes behind', -360],
  ])('a command signed %s is refused with 401 and queues nothing', async (_what, offset) => {
    const send = watchQueue();
    const res = await env.slack.post(env.slack.commandBody('/qc listen 2005', 'U_DEMO'), {
      timestamp: now() + offset,
    });
    expect(res.status).toBe(401);
    expect(send).not.toHaveBeenCalled();
  });

  it('a command signed four minutes ahead is still accepted (clock skew)', async () => {
    const send = watchQueue();
    const res = await env.slack.post(env.slack.commandBody('/qc listen 2005', 'U_DEMO'), {
      timestamp: now() + 240,
    });
    expect(res.status).toBe(200);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('a command with a timestamp that is not a number is refused with 401', async () => {
    const body = env.slack.commandBody('/qc listen 2005', 'U_DEMO');
    const res = await fetch(`${env.stack.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': 'soon',
        'x-slack-signature': 'v0=00',
      },
      body,
    });
    expect(res.status).toBe(401);
  });
});

describe('interactive requests whose payload is broken', () => {
  const broken = ['payload=%7Bnot-json', 'payload=', `${interactionBody({ type: 'block_actions' })}%7D%7D`];

  it.each(broken.map((b) => [b]))('signed %s → 400, nothing queued', async (body) => {
    const send = watchQueue();
    const res = await env.slack.post(body);
    expect(res.status).toBe(400);
    expect(send).not.toHaveBeenCalled();
  });

  it.each(broken.map((b) => [b]))('unsigned %s → 401', async (body) => {
    const res = await env.slack.post(body, { secret: 'not-the-signing-secret' });
    expect(res.status).toBe(401);
  });

  it('a signed JSON event body that is not JSON → 400', async () => {
    const res = await env.slack.post('{"type":"event_callback",', { contentType: 'application/json' });
    expect(res.status).toBe(400);
  });

  it('nothing about it reaches the logs as an unhandled error', () => {
    expect(env.logs.text()).not.toMatch(/unhandled error|local server request failed/i);
  });
});

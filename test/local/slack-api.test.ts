import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import {
  createFakeSlack,
  renderMessage,
  renderView,
  type StoreChange,
  startFakeSlack,
} from '../../local/slack-api/index';
import { newTriggerId } from '../../local/slack-sign';
import { errorOf, quietWebLogger, TWO_CHANNEL_WORKSPACE, useFakeSlack } from '../helpers/fake-slack';

const TOKEN = 'xoxb-fake-token';
const env = useFakeSlack({ botToken: TOKEN, ...TWO_CHANNEL_WORKSPACE });

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${env.fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('auth', () => {
  it('auth.test answers with the bot identity', async () => {
    const res = await env.client.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: 'U_QCBOT', bot_id: 'B_QCBOT', team_id: 'T_LOCAL' });
  });

  it('a wrong token → invalid_auth, no token → not_authed (HTTP 200 both), recorded without the token', async () => {
    const bad = new WebClient('xoxb-wrong', {
      slackApiUrl: env.fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietWebLogger,
    });
    expect(await errorOf(bad.chat.postMessage({ channel: 'C_QC', text: 'hi' }))).toBe('invalid_auth');
    const res = await fetch(`${env.fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=C_QC&text=hi',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
    expect(env.fake.store.messages).toHaveLength(0);
    expect(env.fake.store.calls.map((c) => c.error)).toEqual(['invalid_auth', 'not_authed']);
    expect(JSON.stringify(env.fake.store.calls)).not.toContain('xoxb-wrong');
  });

  it('accepts the token as a form field too (as Slack does), without recording it', async () => {
    const res = await fetch(`${env.fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TOKEN}`,
    });
    expect(await res.json()).toMatchObject({ ok: true });
    expect(env.fake.store.calls[0]?.args).toEqual({});
  });

  it('unknown method → unknown_method', async () => {
    expect(await errorOf(env.client.apiCall('chat.frobnicate', {}))).toBe('unknown_method');
  });
});

describe('chat.postMessage', () => {
  it('stores the message; blocks sent form-encoded arrive as arrays; ts strictly increasing', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Intercepted* 2005' } }];
    const a = await env.client.chat.postMessage({ channel: 'C_QC', text: 'Intercepted 2005', blocks });
    const b = await env.client.chat.postMessage({ channel: 'C_QC', text: 'second' });
    expect(a).toMatchObject({
      ok: true,
      channel: 'C_QC',
      message: { text: 'Intercepted 2005', user: 'U_QCBOT' },
    });
    expect(a.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
    const [m] = env.fake.store.channelMessages('C_QC');
    expect(m).toMatchObject({
      channel: 'C_QC',
      ts: a.ts,
      text: 'Intercepted 2005',
      blocks,
      user: 'U_QCBOT',
      edits: 0,
    });
    expect(env.fake.store.callsOf('chat.postMessage')[0]?.args.blocks).toEqual(blocks);
  });

  it('ts stays strictly increasing with a clock that stands still', async () => {
    const still = createFakeSlack({ botToken: 't', clock: () => 1732530000000 });
    const t1 = still.store.nextTs();
    const t2 = still.store.nextTs();
    expect(t1).toBe('1732530000.000000');
    expect(t2).toBe('1732530000.000001');
  });

  it('accepts application/json bodies', async () => {
    const res = await post(
      '/api/chat.postMessage',
      { channel: 'C_QC', blocks: [{ type: 'divider' }] },
      { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
    );
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C_QC' });
    expect(env.fake.store.messages[0]?.blocks).toEqual([{ type: 'divider' }]);
  });

  it('accepts a channel name', async () => {
    const res = await env.client.chat.postMessage({ channel: '#qc', text: 'by name' });
    expect(res.channel).toBe('C_QC');
  });

  it.each([
    ['not_in_channel', 'bot not in channel', { channel: 'C_OUT', text: 'x' }],
    ['channel_not_found', 'unknown channel id', { channel: 'C_NOPE', text: 'x' }],
    ['channel_not_found', 'DM never opened', { channel: 'D_NEVER_OPENED', text: 'x' }],
    ['no_text', 'neither text nor blocks', { channel: 'C_QC' }],
    ['no_text', 'empty text', { channel: 'C_QC', text: '' }],
    ['invalid_blocks', 'blocks not an array', { channel: 'C_QC', blocks: { type: 'section' } }],
    ['invalid_blocks', 'block without type', { channel: 'C_QC', blocks: [{ text: 'no type' }] }],
    ['invalid_blocks', 'block not an object', { channel: 'C_QC', blocks: ['section'] }],
    [
      'invalid_blocks',
      '51 blocks',
      { channel: 'C_QC', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) },
    ],
    [
      'invalid_blocks',
      'header over 150 chars',
      { channel: 'C_QC', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] },
    ],
    [
      'invalid_blocks',
      'button text over 75 chars',
      {
        channel: 'C_QC',
        blocks: [
          {
            type: 'actions',
            elements: [{ type: 'button', text: { type: 'plain_text', text: 'x'.repeat(76) } }],
          },
        ],
      },
    ],
    [
      'invalid_blocks',
      'duplicate block_id',
      {
        channel: 'C_QC',
        blocks: [
          { type: 'divider', block_id: 'a' },
          { type: 'divider', block_id: 'a' },
        ],
      },
    ],
    ['msg_too_long', 'text over 40,000 chars', { channel: 'C_QC', text: 'x'.repeat(40_001) }],
  ])('→ %s (%s)', async (error, _what, args) => {
    expect(await errorOf(env.client.apiCall('chat.postMessage', args as Record<string, unknown>))).toBe(
      error,
    );
    expect(env.fake.store.messages).toHaveLength(0);
  });

  it('50 blocks and 40,000 characters are fine', async () => {
    await env.client.chat.postMessage({
      channel: 'C_QC',
      text: 'x'.repeat(40_000),
      blocks: Array.from({ length: 50 }, () => ({ type: 'divider' })),
    });
    expect(env.fake.store.messages).toHaveLength(1);
  });

  it('invalid_blocks carries Slack-style response_metadata.messages', async () => {
    const res = await post(
      '/api/chat.postMessage',
      { channel: 'C_QC', blocks: [{ type: 'section' }] },
      { authorization: `Bearer ${TOKEN}` },
    );
    const json = (await res.json()) as { error: string; response_metadata: { messages: string[] } };
    expect(json.error).toBe('invalid_blocks');
    expect(json.response_metadata.messages[0]).toMatch(/json-pointer:\/blocks\/0/);
  });

  it('threads: replies in order, a reply to a reply goes to the parent, broadcast replies show in the channel', async () => {
    const parent = await env.client.chat.postMessage({ channel: 'C_QC', text: 'parent' });
    const r1 = await env.client.chat.postMessage({
      channel: 'C_QC',
      thread_ts: parent.ts as string,
      text: 'r1',
    });
    await env.client.chat.postMessage({ channel: 'C_QC', thread_ts: r1.ts as string, text: 'r2' });
    await env.client.chat.postMessage({
      channel: 'C_QC',
      thread_ts: parent.ts as string,
      text: 'r3',
      reply_broadcast: true,
    });
    expect(env.fake.store.thread('C_QC', parent.ts as string).map((m) => m.text)).toEqual(['r1', 'r2', 'r3']);
    expect(env.fake.store.channelMessages('C_QC').map((m) => m.text)).toEqual(['parent', 'r3']);
    expect(env.fake.store.channelMessages('C_QC', { replies: true })).toHaveLength(4);
  });

  it('an unknown thread_ts still posts but answers with a warning', async () => {
    const res = await env.client.chat.postMessage({ channel: 'C_QC', thread_ts: '1.000001', text: 'orphan' });
    expect(res.response_metadata?.warnings).toEqual(['thread_ts_not_found']);
  });
});

describe('chat.postEphemeral / chat.update / chat.delete', () => {
  it('postEphemeral stores a message only that user sees', async () => {
    const res = await env.client.chat.postEphemeral({ channel: 'C_QC', user: 'U_DEMO', text: 'only you' });
    expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(env.fake.store.ephemeralFor('U_DEMO').map((m) => m.text)).toEqual(['only you']);
    expect(env.fake.store.ephemeralFor('U_ADMIN')).toEqual([]);
    expect(env.fake.store.channelMessages('C_QC')).toEqual([]);
    expect(
      await errorOf(env.client.chat.postEphemeral({ channel: 'C_QC', user: 'U_GHOST', text: 'x' })),
    ).toBe('user_not_found');
  });

  it('update keeps history and counts edits; fields not sent are kept', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'v1' } }];
    const { ts } = await env.client.chat.postMessage({ channel: 'C_QC', text: 'v1', blocks });
    await env.client.chat.update({ channel: 'C_QC', ts: ts as string, text: 'v2' });
    const res = await env.client.chat.update({ channel: 'C_QC', ts: ts as string, text: 'v3', blocks: [] });
    expect(res).toMatchObject({ ok: true, channel: 'C_QC', ts, text: 'v3' });
    const m = env.fake.store.message('C_QC', ts as string);
    expect(m?.edits).toBe(2);
    expect(m?.text).toBe('v3');
    expect(m?.blocks).toEqual([]);
    expect(m?.history.map((h) => h.text)).toEqual(['v1', 'v2']);
    expect(m?.history[1]?.blocks).toEqual(blocks);
  });

  it('update/delete of an unknown ts → message_not_found', async () => {
    expect(await errorOf(env.client.chat.update({ channel: 'C_QC', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
    expect(await errorOf(env.client.chat.delete({ channel: 'C_QC', ts: '1.000001' }))).toBe(
      'message_not_found',
    );
  });

  it('delete marks the message deleted; it leaves the channel view; updating it then fails', async () => {
    const { ts } = await env.client.chat.postMessage({ channel: 'C_QC', text: 'bye' });
    await env.client.chat.delete({ channel: 'C_QC', ts: ts as string });
    expect(env.fake.store.message('C_QC', ts as string)?.deleted).toBe(true);
    expect(env.fake.store.channelMessages('C_QC')).toEqual([]);
    expect(await errorOf(env.client.chat.update({ channel: 'C_QC', ts: ts as string, text: 'x' }))).toBe(
      'message_not_found',
    );
  });
});

describe('conversations.open / users.info', () => {
  it('opens a DM channel stable per user; posting to it works', async () => {
    const a = await env.client.conversations.open({ users: 'U_DEMO' });
    const b = await env.client.conversations.open({ users: 'U_DEMO' });
    expect(a.channel?.id).toBe('D_DEMO');
    expect(b.channel?.id).toBe('D_DEMO');
    await env.client.chat.postMessage({ channel: 'D_DEMO', text: 'dm' });
    expect(env.fake.store.channelMessages('D_DEMO').map((m) => m.text)).toEqual(['dm']);
    expect(await errorOf(env.client.conversations.open({ users: 'U_GHOST' }))).toBe('user_not_found');
  });

  it('posting to a user id lands in the DM', async () => {
    const res = await env.client.chat.postMessage({ channel: 'U_ADMIN', text: 'hello admin' });
    expect(res.channel).toBe('D_ADMIN');
  });

  it('users.info', async () => {
    const res = await env.client.users.info({ user: 'U_DEMO' });
    expect(res.user).toMatchObject({
      id: 'U_DEMO',
      name: 'demo',
      real_name: 'Demo Supervisor',
      profile: { display_name: 'demo', real_name: 'Demo Supervisor' },
    });
    expect((await env.client.users.info({ user: 'U_ADMIN' })).user?.is_admin).toBe(true);
    expect(await errorOf(env.client.users.info({ user: 'U_GHOST' }))).toBe('user_not_found');
  });
});

describe('views', () => {
  const modal = {
    type: 'modal' as const,
    callback_id: 'qc_signin',
    title: { type: 'plain_text' as const, text: 'Sign in' },
    submit: { type: 'plain_text' as const, text: 'Sign in' },
    blocks: [
      {
        type: 'input',
        label: { type: 'plain_text', text: 'Inspector ID' },
        element: { type: 'plain_text_input', action_id: 'inspector', initial_value: '1001' },
      },
    ],
  };

  it('views.open: valid trigger_id once; the view gets an id, hash and block_ids', async () => {
    const trigger = newTriggerId();
    const res = await env.client.views.open({ trigger_id: trigger, view: modal });
    expect(res.view).toMatchObject({ type: 'modal', callback_id: 'qc_signin', title: { text: 'Sign in' } });
    expect(res.view?.id).toMatch(/^V/);
    expect(typeof res.view?.hash).toBe('string');
    expect(res.view?.blocks?.[0]?.block_id).toEqual(expect.any(String));
    expect(env.fake.store.views).toHaveLength(1);
    expect(await errorOf(env.client.views.open({ trigger_id: trigger, view: modal }))).toBe(
      'expired_trigger_id',
    );
    expect(await errorOf(env.client.views.open({ trigger_id: 'not-a-trigger', view: modal }))).toBe(
      'invalid_trigger_id',
    );
  });

  it('views.open attributes the view to the user of a fake-issued trigger_id', async () => {
    const trigger = env.fake.newTriggerId({ user: 'U_DEMO' });
    await env.client.views.open({ trigger_id: trigger, view: modal });
    expect(env.fake.store.views[0]).toMatchObject({ user: 'U_DEMO', triggerId: trigger });
    expect(renderView(env.fake.store.views[0]?.view)).toContain('Inspector ID: [1001]');
  });

  it.each([
    ['type', { ...modal, type: 'home' }],
    ['title', { ...modal, title: undefined }],
    ['title length', { ...modal, title: { type: 'plain_text', text: 'x'.repeat(25) } }],
    ['blocks', { ...modal, blocks: undefined }],
    ['submit with inputs', { ...modal, submit: undefined }],
  ])('views.open rejects a view with a bad %s → invalid_arguments', async (_what, view) => {
    expect(await errorOf(env.client.apiCall('views.open', { trigger_id: newTriggerId(), view }))).toBe(
      'invalid_arguments',
    );
  });

  it('views.update by view_id, with hash check', async () => {
    const opened = await env.client.views.open({ trigger_id: newTriggerId(), view: modal });
    const id = opened.view?.id as string;
    const updated = await env.client.views.update({
      view_id: id,
      hash: opened.view?.hash as string,
      view: { ...modal, title: { type: 'plain_text', text: 'Signed in' } },
    });
    expect(updated.view?.title?.text).toBe('Signed in');
    expect(env.fake.store.views[0]?.updates).toBe(1);
    expect(await errorOf(env.client.views.update({ view_id: id, hash: 'stale', view: modal }))).toBe(
      'hash_conflict',
    );
    expect(await errorOf(env.client.views.update({ view_id: 'V_NOPE', view: modal }))).toBe('not_found');
  });

  it('views.publish stores the home tab per user', async () => {
    await env.client.views.publish({
      user_id: 'U_DEMO',
      view: { type: 'home', blocks: [{ type: 'divider' }] },
    });
    expect(env.fake.store.homeViews.get('U_DEMO')?.view).toMatchObject({ type: 'home' });
    expect(await errorOf(env.client.apiCall('views.publish', { user_id: 'U_DEMO', view: modal }))).toBe(
      'invalid_arguments',
    );
  });
});

describe('fault injection', () => {
  it('failNext makes the next N calls of a method fail, then recovers', async () => {
    env.fake.failNext('chat.postMessage', 'not_in_channel', 2);
    expect(await errorOf(env.client.chat.postMessage({ channel: 'C_QC', text: 'a' }))).toBe('not_in_channel');
    expect(await errorOf(env.client.chat.postMessage({ channel: 'C_QC', text: 'b' }))).toBe('not_in_channel');
    await env.client.chat.postMessage({ channel: 'C_QC', text: 'c' });
    expect(env.fake.store.messages.map((m) => m.text)).toEqual(['c']);
  });

  it('a 429 with Retry-After', async () => {
    env.fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const res = await post(
      '/api/chat.postMessage',
      { channel: 'C_QC', text: 'x' },
      { authorization: `Bearer ${TOKEN}` },
    );
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect(env.fake.store.calls[0]).toMatchObject({ method: 'chat.postMessage', status: 429, ok: false });

    env.fake.failNext('chat.update', { status: 429, retryAfter: 3 });
    const strict = new WebClient(TOKEN, {
      slackApiUrl: env.fake.apiUrl,
      rejectRateLimitedCalls: true,
      logger: quietWebLogger,
    });
    await expect(strict.chat.update({ channel: 'C_QC', ts: '1.1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 3,
    });
  });
});

describe('response_url', () => {
  it('ephemeral by default (visible to the user of the URL), in_channel on request', async () => {
    const url = env.fake.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' });
    expect(url.startsWith(`${env.fake.url}/response/`)).toBe(true);
    expect((await post(new URL(url).pathname, { text: 'working…' })).status).toBe(200);
    expect((await post(new URL(url).pathname, { text: 'done', response_type: 'in_channel' })).status).toBe(
      200,
    );
    expect(env.fake.store.ephemeralFor('U_DEMO').map((m) => m.text)).toEqual(['working…']);
    expect(env.fake.store.channelMessages('C_QC').map((m) => m.text)).toEqual(['done']);
    expect(env.fake.store.messages[0]?.viaResponseUrl).toBeDefined();
  });

  it('replace_original edits the previous message posted via that URL; delete_original deletes it', async () => {
    const path = new URL(env.fake.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' })).pathname;
    await post(path, { text: 'working…' });
    await post(path, { text: '✅ done', replace_original: true });
    expect(env.fake.store.ephemeralFor('U_DEMO').map((m) => [m.text, m.edits])).toEqual([['✅ done', 1]]);
    await post(path, { delete_original: true });
    expect(env.fake.store.ephemeralFor('U_DEMO')).toEqual([]);
  });

  it('replace_original from a button edits the message the button was on', async () => {
    const { ts } = await env.client.chat.postMessage({ channel: 'C_QC', text: 'alert [Intercept]' });
    const path = new URL(
      env.fake.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO', messageTs: ts as string }),
    ).pathname;
    await post(path, { text: 'alert — intercepted by @U_DEMO', replace_original: true });
    expect(env.fake.store.channelMessages('C_QC').map((m) => m.text)).toEqual([
      'alert — intercepted by @U_DEMO',
    ]);
  });

  it('5 uses, then HTTP 404 expired_url', async () => {
    const path = new URL(env.fake.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' })).pathname;
    for (let i = 0; i < 5; i++) expect((await post(path, { text: `#${i}` })).status).toBe(200);
    const sixth = await post(path, { text: 'too many' });
    expect(sixth.status).toBe(404);
    expect(await sixth.text()).toBe('expired_url');
    expect(sixth.headers.get('x-fake-slack-reason')).toBe('used_url');
    expect(env.fake.store.messages).toHaveLength(5);
  });

  it('expires after 30 minutes', async () => {
    let now = 1_732_530_000_000;
    const timed = await startFakeSlack({ botToken: TOKEN, clock: () => now });
    try {
      const url = timed.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' });
      now += 30 * 60 * 1000 + 1;
      const res = await fetch(url, { method: 'POST', body: JSON.stringify({ text: 'late' }) });
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('expired_url');
      expect(res.headers.get('x-fake-slack-reason')).toBe('expired_url');
    } finally {
      await timed.close();
    }
  });

  it('no text → 400 no_text; unknown URL → 404', async () => {
    const path = new URL(env.fake.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' })).pathname;
    expect((await post(path, { response_type: 'ephemeral' })).status).toBe(400);
    expect((await post('/response/nope', { text: 'x' })).status).toBe(404);
  });

  it('records each post as a response_url call', async () => {
    const path = new URL(env.fake.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' })).pathname;
    await post(path, { text: 'hi', response_type: 'ephemeral' });
    expect(env.fake.store.callsOf('response_url')[0]).toMatchObject({
      ok: true,
      args: { text: 'hi', response_type: 'ephemeral' },
    });
  });
});

describe('store: waitFor, change events, reset', () => {
  it('waitFor resolves as soon as pick returns a value (on the change, not by polling)', async () => {
    const waiting = env.fake.store.waitFor((s) =>
      s.channelMessages('C_QC').find((m) => m.text?.includes('Intercepted')),
    );
    await env.client.chat.postMessage({ channel: 'C_QC', text: 'other' });
    await env.client.chat.postMessage({ channel: 'C_QC', text: '✅ Intercepted 2005' });
    const m = await waiting;
    expect(m.text).toBe('✅ Intercepted 2005');
  });

  it('waitFor resolves at once when the value is already there', async () => {
    await env.client.chat.postMessage({ channel: 'C_QC', text: 'here' });
    await expect(env.fake.store.waitFor((s) => s.messages[0], 10)).resolves.toMatchObject({ text: 'here' });
  });

  it('waitFor rejects on timeout, listing the last messages and calls', async () => {
    await env.client.chat.postMessage({
      channel: 'C_QC',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Listening to 2005 for <@U_DEMO>' } }],
      text: 'fallback',
    });
    const err = await env.fake.store
      .waitFor((s) => s.messages.find((m) => m.text === 'never'), 50)
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(err?.message).toMatch(/timed out after 50 ms/);
    expect(err?.message).toMatch(/waiting for: .*m\.text === .never./);
    expect(err?.message).toContain('Listening to 2005 for @U_DEMO');
    expect(err?.message).toContain('chat.postMessage → ok');
  });

  it('waitFor rejects when pick throws', async () => {
    await expect(
      env.fake.store.waitFor(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });

  it("on('change') sees every change; the returned function unsubscribes; reset clears", async () => {
    const changes: StoreChange['kind'][] = [];
    const off = env.fake.store.on('change', (c) => changes.push(c.kind));
    const { ts } = await env.client.chat.postMessage({ channel: 'C_QC', text: 'a' });
    await env.client.chat.update({ channel: 'C_QC', ts: ts as string, text: 'b' });
    off();
    await env.client.chat.postMessage({ channel: 'C_QC', text: 'c' });
    expect(changes).toEqual(['message', 'call', 'update', 'call']);
    env.fake.store.reset();
    expect(env.fake.store.messages).toEqual([]);
    expect(env.fake.store.calls).toEqual([]);
  });
});

describe('/_local routes and mounting', () => {
  it('POST /_local/response-url issues a response_url and trigger_id; GET /_local/messages and /_local/views', async () => {
    const before = Date.now();
    const res = await post('/_local/response-url', { channel: 'C_QC', user: 'U_DEMO' });
    const info = (await res.json()) as { url: string; triggerId: string; channelName: string; now: number };
    expect(info.url.startsWith(`${env.fake.url}/response/`)).toBe(true);
    expect(info.channelName).toBe('qc');
    expect(info.now).toBeGreaterThanOrEqual(before);

    await post(new URL(info.url).pathname, { text: 'via url' });
    await env.client.chat.postMessage({ channel: 'C_QC', text: '*bold* <@U_DEMO>' });
    const list = (await (await fetch(`${env.fake.url}/_local/messages?since=${info.now}`)).json()) as Array<{
      text: string;
      channelName: string;
      rendered: string;
      ephemeralTo?: string;
    }>;
    expect(list.map((m) => m.text)).toEqual(['via url', '*bold* <@U_DEMO>']);
    expect(list[0]).toMatchObject({ channelName: 'qc', ephemeralTo: 'U_DEMO' });
    expect(list[1]?.rendered).toBe('*bold* @U_DEMO');
    const later = (await (
      await fetch(`${env.fake.url}/_local/messages?since=${Date.now() + 60_000}`)
    ).json()) as unknown[];
    expect(later).toEqual([]);

    await env.client.views.open({
      trigger_id: info.triggerId,
      view: { type: 'modal', title: { type: 'plain_text', text: 'Hi' }, blocks: [] },
    });
    const views = (await (await fetch(`${env.fake.url}/_local/views?user=U_DEMO`)).json()) as Array<{
      user: string;
    }>;
    expect(views).toHaveLength(1);
    expect(views[0]?.user).toBe('U_DEMO');
    expect(await (await post('/_local/response-url', { channel: 'C_QC' })).status).toBe(400);
  });

  it('handle() returns false for paths that are not its own (mounted in another server, with a prefix)', async () => {
    const mounted = createFakeSlack({ botToken: TOKEN, pathPrefix: '/slack-fake' });
    const server = createServer(async (req, res) => {
      if (await mounted.handle(req, res)) return;
      res.writeHead(418);
      res.end('app route');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mounted.setPublicBaseUrl(base);
    try {
      expect((await fetch(`${base}/slack/events`, { method: 'POST' })).status).toBe(418);
      expect((await fetch(`${base}/api/auth.test`, { method: 'POST' })).status).toBe(418);
      const c = new WebClient(TOKEN, {
        slackApiUrl: `${base}/slack-fake/api/`,
        retryConfig: { retries: 0 },
        logger: quietWebLogger,
      });
      await c.chat.postMessage({ channel: 'C_QC', text: 'mounted' });
      expect(mounted.store.messages[0]?.text).toBe('mounted');
      expect(mounted.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' })).toMatch(
        new RegExp(`^${base}/slack-fake/response/`),
      );
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('newResponseUrl without a public base URL explains what to do', () => {
    const bare = createFakeSlack({ botToken: TOKEN });
    expect(() => bare.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' })).toThrow(/setPublicBaseUrl/);
  });
});

describe('renderMessage', () => {
  it('renders Block Kit as readable text', () => {
    const text = renderMessage({
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Agent 2005 needs help' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '<@U123> asked — see <https://x.test/a|the alert> &amp; <#C1|qc>' },
          fields: [
            { type: 'mrkdwn', text: '*Agent*\n2005' },
            { type: 'mrkdwn', text: '*Queue*\nSales' },
          ],
        },
        { type: 'divider' },
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'Listen' }, action_id: 'l' },
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Insert' },
              action_id: 'i',
              style: 'primary',
            },
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Intercept' },
              action_id: 'x',
              style: 'danger',
            },
          ],
        },
        {
          type: 'context',
          elements: [
            { type: 'image', image_url: 'https://x.test/i.png', alt_text: 'status' },
            { type: 'mrkdwn', text: 'retcode 0 <!here>' },
          ],
        },
        { type: 'image', image_url: 'https://x.test/j.png', alt_text: 'chart' },
      ],
    });
    expect(text).toBe(
      [
        'Agent 2005 needs help',
        '@U123 asked — see the alert & #qc',
        '*Agent*\n2005',
        '*Queue*\nSales',
        '───',
        '[Listen] [Insert] [Intercept!]',
        '[image: status]  retcode 0 @here',
        '[image: chart]',
      ].join('\n'),
    );
  });

  it('turns common emoji shortcodes into characters, keeps unknown ones', () => {
    expect(renderMessage({ text: ':white_check_mark: done :not_an_emoji:' })).toBe('✅ done :not_an_emoji:');
    expect(
      renderMessage({
        blocks: [{ type: 'header', text: { type: 'plain_text', text: ':warning: x', emoji: true } }],
      }),
    ).toBe('⚠️ x');
  });

  it('falls back to the text when there are no blocks', () => {
    expect(renderMessage({ text: 'hi <@U1|ann> <https://x.test>' })).toBe('hi @ann https://x.test');
  });
});

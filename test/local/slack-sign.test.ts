import { createHmac } from 'node:crypto';
import { App, AwsLambdaReceiver, LogLevel } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type StartedFakeSlack, startFakeSlack } from '../../local/slack-api/index';
import {
  apiGatewayEvent,
  blockActionsPayload,
  interactionBody,
  newTriggerId,
  signedHeaders,
  slackSignature,
  slashCommandBody,
  viewSubmissionPayload,
} from '../../local/slack-sign';

const SECRET = 's3cret';

describe('slackSignature / signedHeaders', () => {
  it('is v0= + hex HMAC-SHA256 of v0:ts:body (computed independently)', () => {
    const body = 'command=%2Fintercept&text=2005';
    const expected = `v0=${createHmac('sha256', SECRET).update(`v0:1732530000:${body}`).digest('hex')}`;
    expect(slackSignature(SECRET, 1732530000, body)).toBe(expected);
  });

  it("matches the worked example in Slack's 'verifying requests' documentation", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
      '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('builds lower-case headers with the current time by default', () => {
    const before = Math.floor(Date.now() / 1000);
    const h = signedHeaders(SECRET, 'a=b');
    expect(Object.keys(h).sort()).toEqual(['content-type', 'x-slack-request-timestamp', 'x-slack-signature']);
    expect(h['content-type']).toBe('application/x-www-form-urlencoded');
    const ts = Number(h['x-slack-request-timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(h['x-slack-signature']).toBe(slackSignature(SECRET, ts, 'a=b'));
    const fixed = signedHeaders(SECRET, '{}', { timestamp: 42, contentType: 'application/json' });
    expect(fixed).toEqual({
      'content-type': 'application/json',
      'x-slack-request-timestamp': '42',
      'x-slack-signature': slackSignature(SECRET, 42, '{}'),
    });
  });
});

describe('request bodies', () => {
  it('slashCommandBody has the fields Slack sends, in order, with a fresh trigger_id each time', () => {
    const input = {
      command: '/intercept',
      text: '2005 now',
      userId: 'U_DEMO',
      responseUrl: 'http://x/response/1',
    };
    const a = new URLSearchParams(slashCommandBody(input));
    expect([...a.keys()]).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(a.get('token')).toBe('unused');
    expect(a.get('command')).toBe('/intercept');
    expect(a.get('text')).toBe('2005 now');
    expect(a.get('team_id')).toBe('T_LOCAL');
    expect(a.get('channel_id')).toBe('C_QC');
    expect(slashCommandBody(input)).toContain('command=%2Fintercept&text=2005+now');
    const b = new URLSearchParams(slashCommandBody(input));
    expect(a.get('trigger_id')).toMatch(/^\d{10}\.\d{6}\.[0-9a-f]{32}$/);
    expect(b.get('trigger_id')).not.toBe(a.get('trigger_id'));
    expect(new URLSearchParams(slashCommandBody({ ...input, triggerId: '1.2.abc' })).get('trigger_id')).toBe(
      '1.2.abc',
    );
  });

  it('newTriggerId is unique', () => {
    const ids = new Set(Array.from({ length: 500 }, () => newTriggerId()));
    expect(ids.size).toBe(500);
  });

  it('interactionBody is payload=<url-encoded JSON>', () => {
    const payload = { type: 'block_actions', text: 'a&b=c ü' };
    const body = interactionBody(payload);
    expect(body.startsWith('payload=')).toBe(true);
    expect(JSON.parse(new URLSearchParams(body).get('payload') ?? '')).toEqual(payload);
  });

  it('blockActionsPayload is shaped like Slack', () => {
    const p = blockActionsPayload({
      userId: 'U_DEMO',
      messageTs: '1732530000.000100',
      responseUrl: 'http://x/response/2',
      actionId: 'qc_intercept',
      value: '{"agent":"2005"}',
    }) as {
      type: string;
      user: object;
      team: object;
      container: object;
      channel: object;
      response_url: string;
      trigger_id: string;
      actions: Array<Record<string, unknown>>;
    };
    expect(p.type).toBe('block_actions');
    expect(p.user).toMatchObject({ id: 'U_DEMO', team_id: 'T_LOCAL' });
    expect(p.team).toMatchObject({ id: 'T_LOCAL' });
    expect(p.container).toEqual({
      type: 'message',
      message_ts: '1732530000.000100',
      channel_id: 'C_QC',
      is_ephemeral: false,
    });
    expect(p.channel).toMatchObject({ id: 'C_QC' });
    expect(p.response_url).toBe('http://x/response/2');
    expect(p.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
    expect(p.actions).toHaveLength(1);
    expect(p.actions[0]).toMatchObject({
      action_id: 'qc_intercept',
      type: 'button',
      value: '{"agent":"2005"}',
    });
    expect(p.actions[0]?.action_ts).toMatch(/^\d+\.\d{6}$/);
  });

  it('viewSubmissionPayload merges the given view over Slack defaults', () => {
    const p = viewSubmissionPayload({
      userId: 'U_DEMO',
      view: {
        id: 'V1',
        callback_id: 'qc_signin',
        state: { values: { b: { a: { type: 'plain_text_input', value: 'x' } } } },
      },
    }) as { type: string; view: { state: { values: Record<string, Record<string, { value: string }>> } } };
    expect(p.type).toBe('view_submission');
    expect(p.view).toMatchObject({ id: 'V1', type: 'modal', callback_id: 'qc_signin', team_id: 'T_LOCAL' });
    expect(p.view.state.values.b?.a?.value).toBe('x');
  });

  it('apiGatewayEvent is an HTTP API 2.0 event with lower-cased headers', () => {
    const e = apiGatewayEvent({ body: 'a=b', headers: { 'X-Slack-Signature': 'v0=1', 'Content-Type': 'x' } });
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'POST /slack/events',
      rawPath: '/slack/events',
      rawQueryString: '',
      body: 'a=b',
      isBase64Encoded: false,
    });
    expect(e.headers['x-slack-signature']).toBe('v0=1');
    expect(e.headers['content-type']).toBe('x');
    expect(Object.keys(e.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(e.requestContext.http).toMatchObject({
      method: 'POST',
      path: '/slack/events',
      sourceIp: '127.0.0.1',
    });
    expect(typeof e.requestContext.requestId).toBe('string');
    expect(e.requestContext.timeEpoch).toBeGreaterThan(0);
    const b = apiGatewayEvent({ path: '/alerts', body: 'é', headers: {}, base64: true });
    expect(b.isBase64Encoded).toBe(true);
    expect(Buffer.from(b.body ?? '', 'base64').toString('utf8')).toBe('é');
    expect(b.routeKey).toBe('POST /alerts');
  });
});

describe('Bolt (AwsLambdaReceiver) accepts what these helpers build, and talks to the fake', () => {
  let fake: StartedFakeSlack;
  let handler: ReturnType<AwsLambdaReceiver['toHandler']>;
  const seen: Record<string, unknown>[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack({ botToken: 'xoxb-test' });
    const receiver = new AwsLambdaReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
    const app = new App({
      token: 'xoxb-test',
      receiver,
      botId: 'B_QCBOT',
      botUserId: 'U_QCBOT',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/intercept', async ({ ack }) => {
      await ack('ok');
    });
    app.command('/qc', async ({ ack, command, client }) => {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'qc_signin',
          title: { type: 'plain_text', text: 'Sign in' },
          submit: { type: 'plain_text', text: 'Sign in' },
          blocks: [
            {
              type: 'input',
              block_id: 'pw',
              label: { type: 'plain_text', text: 'Password' },
              element: { type: 'plain_text_input', action_id: 'password' },
            },
          ],
        },
      });
      await ack();
    });
    app.action('x', async ({ ack, body, client, respond }) => {
      await ack();
      const b = body as { channel?: { id: string }; user: { id: string } };
      const channel = b.channel?.id ?? 'C_QC';
      seen.push({ action: 'x', user: b.user.id });
      const posted = await client.chat.postMessage({ channel, text: `Intercepted 2005 for <@${b.user.id}>` });
      await client.chat.postMessage({ channel, thread_ts: posted.ts as string, text: 'AgentEvent_Talking' });
      await client.chat.update({ channel, ts: posted.ts as string, text: '✅ Intercepted 2005' });
      await respond({ text: 'working on it…', response_type: 'ephemeral' });
    });
    app.view('qc_signin', async ({ ack, view }) => {
      seen.push({ view: view.callback_id, values: view.state.values });
      await ack();
    });
    handler = receiver.toHandler();
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(() => {
    fake.store.reset();
    seen.length = 0;
  });

  const commandEvent = (text: string, opts: { command?: string; triggerId?: string } = {}) => {
    const body = slashCommandBody({
      command: opts.command ?? '/intercept',
      text,
      userId: 'U_DEMO',
      responseUrl: fake.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' }),
      ...(opts.triggerId ? { triggerId: opts.triggerId } : {}),
    });
    return { body, headers: signedHeaders(SECRET, body) };
  };

  it('a signed slash command is verified, routed and acked: 200 "ok"', async () => {
    const { body, headers } = commandEvent('2005');
    const res = await handler(apiGatewayEvent({ body, headers }), {} as never);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('ok');
  });

  it('also when API Gateway base64-encodes the body', async () => {
    const { body, headers } = commandEvent('2005');
    const res = await handler(apiGatewayEvent({ body, headers, base64: true }), {} as never);
    expect(res).toMatchObject({ statusCode: 200, body: 'ok' });
  });

  it('a tampered body → 401', async () => {
    const { body, headers } = commandEvent('2005');
    const res = await handler(apiGatewayEvent({ body: body.replace('2005', '2006'), headers }), {} as never);
    expect(res.statusCode).toBe(401);
  });

  it('a timestamp 6 minutes old → 401', async () => {
    const { body } = commandEvent('2005');
    const headers = signedHeaders(SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const res = await handler(apiGatewayEvent({ body, headers }), {} as never);
    expect(res.statusCode).toBe(401);
  });

  it('a wrong signing secret → 401', async () => {
    const { body } = commandEvent('2005');
    const res = await handler(apiGatewayEvent({ body, headers: signedHeaders('other', body) }), {} as never);
    expect(res.statusCode).toBe(401);
  });

  it('block_actions reaches app.action; postMessage, a thread reply, chat.update and respond() land in the fake', async () => {
    const responseUrl = fake.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' });
    const body = interactionBody(
      blockActionsPayload({ userId: 'U_DEMO', responseUrl, actionId: 'x', value: '2005' }),
    );
    const res = await handler(apiGatewayEvent({ body, headers: signedHeaders(SECRET, body) }), {} as never);
    expect(res.statusCode).toBe(200);
    expect(seen).toEqual([{ action: 'x', user: 'U_DEMO' }]);

    const [parent] = fake.store.channelMessages('C_QC');
    expect(parent).toBeDefined();
    if (!parent) return;
    expect(parent.text).toBe('✅ Intercepted 2005');
    expect(parent.edits).toBe(1);
    expect(parent.history[0]?.text).toBe('Intercepted 2005 for <@U_DEMO>');
    expect(parent.user).toBe('U_QCBOT');
    expect(fake.store.thread('C_QC', parent.ts).map((m) => m.text)).toEqual(['AgentEvent_Talking']);
    expect(fake.store.ephemeralFor('U_DEMO').map((m) => m.text)).toEqual(['working on it…']);

    // what the Bolt WebClient sent: form-encoded, Bearer token (never recorded), team_id added
    const post = fake.store.callsOf('chat.postMessage')[0];
    expect(post?.args).toMatchObject({ channel: 'C_QC', text: 'Intercepted 2005 for <@U_DEMO>' });
    expect(JSON.stringify(fake.store.calls)).not.toContain('xoxb-test');
    expect(fake.store.callsOf('response_url')).toHaveLength(1);
  });

  it('views.open from a command listener with a fake-issued trigger_id; view_submission reaches app.view', async () => {
    const triggerId = fake.newTriggerId({ user: 'U_DEMO', channel: 'C_QC' });
    const { body, headers } = commandEvent('signin', { command: '/qc', triggerId });
    const res = await handler(apiGatewayEvent({ body, headers }), {} as never);
    expect(res.statusCode).toBe(200);
    const opened = fake.store.views[0];
    expect(opened).toMatchObject({ type: 'modal', user: 'U_DEMO', triggerId });
    expect(opened?.view).toMatchObject({ callback_id: 'qc_signin', title: { text: 'Sign in' } });

    const submit = interactionBody(
      viewSubmissionPayload({
        userId: 'U_DEMO',
        view: {
          ...opened?.view,
          state: { values: { pw: { password: { type: 'plain_text_input', value: 'simulator' } } } },
        },
      }),
    );
    const res2 = await handler(
      apiGatewayEvent({ body: submit, headers: signedHeaders(SECRET, submit) }),
      {} as never,
    );
    expect(res2.statusCode).toBe(200);
    expect(seen).toEqual([
      { view: 'qc_signin', values: { pw: { password: { type: 'plain_text_input', value: 'simulator' } } } },
    ]);
  });
});

import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../../local/slack-api/index';
import { signedHeaders, slashCommandBody } from '../../local/slack-sign';
import {
  LOCAL_ALERTS_SECRET,
  LOCAL_BOT_TOKEN,
  LOCAL_SIGNING_SECRET,
  type LocalStack,
  SocketModeError,
  startLocalStack,
} from '../../local/stack';
import { signAlert } from '../../src/alerts/signature';
import { captureLogger } from '../helpers/log-capture';

/**
 * The local stack acts as any user (its secrets are printed and public), so only programs on this
 * machine that name the stack's own loopback address may call it, and no web page of another origin:
 * a DNS-rebinding page (foreign Host) or a cross-site request (foreign Origin) is refused on every
 * route with a 403 and does nothing.
 */

interface Answer {
  status: number;
  body: string;
}

/** An HTTP request to 127.0.0.1:port with any Host header (fetch cannot set Host); `host: ''` sends none. */
function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<Answer> {
  const { host, ...rest } = headers;
  const noHost = host === '';
  return new Promise((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port,
      method,
      path,
      headers: noHost || host === undefined ? rest : { ...rest, host },
      setHost: !noHost,
    };
    const req = request(options, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function alertRequest(reason: string): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({ channel: 'C_QC', agentId: '2005', reason });
  const ts = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-qc-timestamp': String(ts),
      'x-qc-signature': signAlert(LOCAL_ALERTS_SECRET, ts, body),
    },
  };
}

function commandRequest(stack: LocalStack, text: string): { headers: Record<string, string>; body: string } {
  const body = slashCommandBody({
    command: '/qc',
    text,
    userId: 'U_DEMO',
    responseUrl: stack.slack.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' }),
  });
  return { body, headers: signedHeaders(LOCAL_SIGNING_SECRET, body) };
}

const apiPost = (text: string) => ({
  headers: { authorization: `Bearer ${LOCAL_BOT_TOKEN}`, 'content-type': 'application/json' },
  body: JSON.stringify({ channel: 'C_QC', text }),
});

describe('every route of the local stack refuses a foreign Host or Origin', () => {
  let stack: LocalStack;
  let port: number;
  const host = () => `127.0.0.1:${port}`;

  beforeAll(async () => {
    stack = await startLocalStack({
      simulator: { pollHoldMs: 100 },
      keeper: { rescanMs: 100 },
      logger: captureLogger(),
    });
    port = Number(new URL(stack.url).port);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** The state a refused request must leave untouched. */
  const sideEffects = () => ({
    jobs: stack.queue.sent,
    messages: stack.slack.store.messages.length,
    calls: stack.slack.store.calls.length,
    files: stack.slack.store.files.length,
  });

  async function expectRefused(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string,
    words: RegExp,
  ) {
    const before = sideEffects();
    const answer = await raw(port, method, path, headers, body);
    expect(answer.status, `${method} ${path}: ${answer.body}`).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ ok: false, error: expect.stringMatching(words) });
    // Let anything a wrongly accepted request started show up before looking.
    await stack.queue.drained();
    expect(sideEffects(), `${method} ${path}`).toEqual(before);
  }

  /** One request per route family; `extra` headers make it foreign. */
  async function everyRoute(extra: Record<string, string>, words: RegExp) {
    const cmd = commandRequest(stack, 'help');
    await expectRefused('POST', '/slack/events', { ...cmd.headers, ...extra }, cmd.body, words);
    const alert = alertRequest('foreign alert');
    await expectRefused('POST', '/alerts', { ...alert.headers, ...extra }, alert.body, words);
    const api = apiPost('foreign post');
    await expectRefused('POST', '/api/chat.postMessage', { ...api.headers, ...extra }, api.body, words);
    const responseUrl = new URL(stack.slack.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' }));
    await expectRefused(
      'POST',
      responseUrl.pathname,
      { 'content-type': 'application/json', ...extra },
      JSON.stringify({ text: 'foreign response', response_type: 'in_channel' }),
      words,
    );
    await expectRefused(
      'POST',
      '/_local/response-url',
      { 'content-type': 'application/json', ...extra },
      JSON.stringify({ channel: 'C_QC', user: 'U_DEMO' }),
      words,
    );
    await expectRefused('GET', '/_local/messages', extra, '', words);
    await expectRefused(
      'POST',
      '/upload/any-token',
      { 'content-type': 'text/plain', ...extra },
      'bytes',
      words,
    );
    await expectRefused('GET', '/console/api/state', extra, '', words);
    await expectRefused('GET', '/console/', extra, '', words);
    await expectRefused(
      'POST',
      '/gateway/events',
      { 'content-type': 'application/json', ...extra },
      '{}',
      words,
    );
    await expectRefused('GET', '/healthz', extra, '', words);
  }

  it('a foreign Host (DNS rebinding): 403 on every route, no job, no alert, no message', async () => {
    await everyRoute({ host: `evil.example:${port}` }, /answers on 127\.0\.0\.1 \/ localhost only/);
  });

  it('a loopback name on another port, without a port, or no Host at all is foreign too', async () => {
    await everyRoute({ host: `127.0.0.1:${port + 1}` }, /Host "127\.0\.0\.1:\d+"/);
    const cmd = commandRequest(stack, 'help');
    await expectRefused('POST', '/slack/events', { ...cmd.headers, host: '127.0.0.1' }, cmd.body, /Host/);
    // HTTP/1.1 without a Host: node's server answers 400 before any route runs.
    const jobs = stack.queue.sent;
    expect((await raw(port, 'POST', '/slack/events', { ...cmd.headers, host: '' }, cmd.body)).status).toBe(
      400,
    );
    expect(stack.queue.sent).toBe(jobs);
  });

  it('a foreign Origin (a page of another site): 403 on every route', async () => {
    await everyRoute(
      { origin: 'https://evil.example' },
      /requests from "https:\/\/evil\.example" are not allowed/,
    );
    await everyRoute({ origin: 'null' }, /requests from "null" are not allowed/);
    await everyRoute({ origin: `http://localhost:${port}` }, /not allowed/);
  });

  it('no Origin, or the same origin, with a loopback Host: served', async () => {
    for (const h of [host(), `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      const before = stack.slack.store.messages.length;
      const api = apiPost(`hello via ${h}`);
      for (const origin of [undefined, `http://${h}`]) {
        const answer = await raw(
          port,
          'POST',
          '/api/chat.postMessage',
          {
            ...api.headers,
            host: h,
            ...(origin ? { origin } : {}),
          },
          api.body,
        );
        expect(answer.status, answer.body).toBe(200);
        expect(JSON.parse(answer.body)).toMatchObject({ ok: true });
      }
      expect(stack.slack.store.messages.length).toBe(before + 2);
    }
    const cmd = commandRequest(stack, 'help');
    const ack = await raw(port, 'POST', '/slack/events', { ...cmd.headers, host: host() }, cmd.body);
    expect(ack.status).toBe(200);
    const alert = alertRequest('a real alert');
    const posted = await raw(port, 'POST', '/alerts', { ...alert.headers, host: host() }, alert.body);
    expect(posted.status, posted.body).toBe(201);
    expect(stack.slack.store.channelMessages('C_QC').some((m) => /a real alert/.test(m.text ?? ''))).toBe(
      true,
    );
    const page = await raw(port, 'GET', '/console/api/state', { host: host(), origin: `http://${host()}` });
    expect(page.status).toBe(200);
    // The gateway's pushes (push mode) name the callback URL's host, 127.0.0.1:<port>: they reach the handler.
    const push = await raw(
      port,
      'POST',
      '/gateway/events',
      { host: host(), 'content-type': 'application/json' },
      '{}',
    );
    expect(push.status).not.toBe(403);
    expect(push.status).toBeLessThan(500);
  });

  it('the response_url and upload URLs it hands out keep working (fetch, no Origin)', async () => {
    const url = stack.slack.newResponseUrl({ channel: 'C_QC', user: 'U_DEMO' });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'via response_url', response_type: 'in_channel' }),
    });
    expect(res.status).toBe(200);
    expect(stack.slack.store.channelMessages('C_QC').some((m) => m.text === 'via response_url')).toBe(true);
  });
});

describe('the local Slack API on its own port', () => {
  it('refuses a foreign Host or Origin, serves its own', async () => {
    const fake = await startFakeSlack({ botToken: 'xoxb-t' });
    try {
      const port = Number(new URL(fake.url).port);
      const headers = { authorization: 'Bearer xoxb-t', 'content-type': 'application/json' };
      const body = JSON.stringify({ channel: 'C_QC', text: 'x' });
      const rebound = await raw(
        port,
        'POST',
        '/api/chat.postMessage',
        { ...headers, host: `evil:${port}` },
        body,
      );
      expect(rebound.status).toBe(403);
      const crossSite = await raw(
        port,
        'POST',
        '/api/chat.postMessage',
        {
          ...headers,
          host: `127.0.0.1:${port}`,
          origin: 'http://evil.example',
        },
        body,
      );
      expect(crossSite.status).toBe(403);
      expect(fake.store.messages).toHaveLength(0);
      const own = await raw(
        port,
        'POST',
        '/api/chat.postMessage',
        { ...headers, host: `127.0.0.1:${port}` },
        body,
      );
      expect(own.status).toBe(200);
      expect(fake.store.messages).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});

describe('Socket Mode', () => {
  it('mounts neither /slack/events nor /alerts: even correctly signed requests get 404', async () => {
    const connected: string[] = [];
    const stack = await startLocalStack({
      logger: captureLogger(),
      socketMode: { appToken: 'xapp-test', botToken: 'xoxb-test' },
      // Reaches nothing: a real workspace is not needed to see which routes the stack serves.
      startSocketMode: async (tokens) => {
        connected.push(tokens.appToken);
        return { stop: async () => {} };
      },
    });
    try {
      expect(connected).toEqual(['xapp-test']);
      const port = Number(new URL(stack.url).port);
      const host = `127.0.0.1:${port}`;
      const cmd = commandRequest(stack, 'help');
      const events = await raw(port, 'POST', '/slack/events', { ...cmd.headers, host }, cmd.body);
      expect(events.status).toBe(404);
      const alert = alertRequest('socket alert');
      const alerts = await raw(port, 'POST', '/alerts', { ...alert.headers, host }, alert.body);
      expect(alerts.status).toBe(404);
      await stack.queue.drained();
      expect(stack.queue.sent).toBe(0);
      expect(stack.slack.store.messages).toHaveLength(0);
      expect(stack.console).toBeUndefined();
    } finally {
      await stack.close();
    }
  });

  it('a connection that fails stops everything it started and says why', async () => {
    const logs = captureLogger();
    const failing = startLocalStack({
      logger: logs,
      socketMode: { appToken: 'xapp-revoked', botToken: 'xoxb-test' },
      startSocketMode: async () => {
        throw Object.assign(new Error('An API error occurred: invalid_auth'), {
          code: 'slack_webapi_platform_error',
          data: { ok: false, error: 'invalid_auth' },
        });
      },
    });
    await expect(failing).rejects.toThrow(SocketModeError);
    await expect(failing).rejects.toThrow('Socket Mode could not connect to Slack (invalid_auth)');
  });
});

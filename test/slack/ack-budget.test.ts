import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  apiGatewayEvent,
  blockActionsPayload,
  interactionBody,
  signedHeaders,
  slashCommandBody,
} from '../../local/slack-sign';
import type { Job } from '../../src/queue/jobs';
import { SLACK_ACK_MS } from '../../src/slack/ack-budget';
import { createSlackApp } from '../../src/slack/app';
import type { AckDeps } from '../../src/slack/deps';
import { captureLogger } from '../helpers/log-capture';

/**
 * Slack's 3 s: the ack path stops waiting for the Web API at its deadline. The fake Slack API here
 * never answers views.open; time is a fake clock, so nothing depends on the machine's speed: the test
 * only moves the clock and checks the answer has left before 3 s of it.
 */
const SECRET = 'test-signing-secret';
const hung: ServerResponse[] = [];
const calls: Array<{ method: string; body: string }> = [];
let answers: Record<string, object | 'hang'> = {};
let server: Server;
let apiUrl = '';

function fakeApi(req: IncomingMessage, res: ServerResponse) {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString();
  });
  req.on('end', () => {
    const method = (req.url ?? '').replace(/^\/api\//, '');
    calls.push({ method, body });
    const answer = answers[method] ?? { ok: true };
    if (answer === 'hang') return void hung.push(res);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
}

beforeAll(async () => {
  server = createServer(fakeApi);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  vi.useRealTimers();
  for (const res of hung.splice(0)) res.destroy();
  calls.length = 0;
  answers = {};
});

const link = { teamId: 'T_LOCAL', userId: 'U_DEMO', inspectorId: '1001', linkedBy: 'U_ADMIN', linkedAt: 0 };

function app(linked = true, linkReadMs = 0) {
  const jobs: Job[] = [];
  const logs = captureLogger();
  const deps: AckDeps = {
    links: {
      getLink: async () => {
        if (linkReadMs > 0) await new Promise((resolve) => setTimeout(resolve, linkReadMs));
        return linked ? link : undefined;
      },
      sessionOf: async () => ({ active: true }),
    },
    queue: { send: async (job) => void jobs.push(job) },
    maxAgentId: 99_999,
    adminUserIds: new Set(),
    logger: logs,
    now: () => Date.now(),
    signIn: async () => {
      throw new Error('not in this test');
    },
  };
  const { handler } = createSlackApp(
    { signingSecret: SECRET, botToken: 'xoxb-test', botId: 'B_QCBOT', botUserId: 'U_QCBOT', apiUrl },
    deps,
  );
  return { handler, jobs, logs };
}

const post = (handler: ReturnType<typeof app>['handler'], body: string) =>
  handler(apiGatewayEvent({ body, headers: signedHeaders(SECRET, body) }) as never, {} as never);

const signinCommand = () =>
  slashCommandBody({ command: '/qc', text: 'signin', userId: 'U_DEMO', responseUrl: 'http://127.0.0.1:9/r' });

/** Moves the fake clock 50 ms at a time (letting real I/O run between steps) until `p` settles. */
async function fakeMsUntilSettled(p: Promise<unknown>, maxMs: number): Promise<number | undefined> {
  let settled = false;
  void p.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const start = Date.now();
  while (!settled && Date.now() - start <= maxMs) {
    await vi.advanceTimersByTimeAsync(50);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return settled ? Date.now() - start : undefined;
}

describe('the ack path within Slack’s 3 s', () => {
  it('/qc signin with views.open hanging: the ack leaves before 3 s (fake clock) and says the window did not open', async () => {
    const { handler } = app();
    answers['views.open'] = 'hang';
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const answer = post(handler, signinCommand());
    await vi.waitFor(() => expect(calls.map((c) => c.method)).toContain('views.open'));
    const took = await fakeMsUntilSettled(answer, 6_000);
    expect(took).toBeDefined();
    expect(took).toBeLessThan(SLACK_ACK_MS);
    const res = await answer;
    expect(res.statusCode).toBe(200);
    expect(String(res.body)).toMatch(/did not open the sign-in window in time/);
  });

  it('the deadline counts from when the request arrived: a 2 s link read leaves views.open 0.5 s, still before 3 s', async () => {
    const { handler } = app(true, 2_000);
    answers['views.open'] = 'hang';
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const answer = post(handler, signinCommand());
    const took = await fakeMsUntilSettled(answer, 6_000);
    expect(took).toBeDefined();
    expect(took).toBeLessThan(SLACK_ACK_MS);
    expect(String((await answer).body)).toMatch(/did not open the sign-in window in time/);
  });

  it('a Home-tab "Sign in" with views.open hanging: answered 200 before 3 s (fake clock), the tab queued for a redraw', async () => {
    const { handler, jobs } = app();
    answers['views.open'] = 'hang';
    const payload = blockActionsPayload({
      userId: 'U_DEMO',
      responseUrl: '',
      actionId: 'qc_open_signin',
      value: 'signin',
    }) as Record<string, unknown>;
    delete payload.channel;
    delete payload.message;
    delete payload.response_url;
    payload.container = { type: 'view', view_id: 'V1' };
    payload.view = { id: 'V1', type: 'home', blocks: [] };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const answer = post(handler, interactionBody(payload));
    await vi.waitFor(() => expect(calls.map((c) => c.method)).toContain('views.open'));
    const took = await fakeMsUntilSettled(answer, 6_000);
    expect(took).toBeDefined();
    expect(took).toBeLessThan(SLACK_ACK_MS);
    expect((await answer).statusCode).toBe(200);
    expect(jobs.map((j) => j.kind)).toEqual(['home']);
  });

  it('views.open refused (expired_trigger_id): the ack says the window did not open, not "internal error"', async () => {
    const { handler } = app();
    answers['views.open'] = { ok: false, error: 'expired_trigger_id' };
    const res = await post(handler, signinCommand());
    expect(res.statusCode).toBe(200);
    expect(String(res.body)).toMatch(/did not open the sign-in window in time/);
    expect(calls.filter((c) => c.method === 'views.open')).toHaveLength(1);
  });
});

/**
 * The built bundles driven as Lambda drives them: each dist/<fn>/index.mjs runs in its own child
 * process (test/infra/fixtures/lambda-runner.mjs) with only the environment serverless.yml gives that
 * function — secrets as SSM parameter NAMES, read from a local fake SSM — and gets Lambda-shaped
 * events: API Gateway v2 (signed as Slack or the monitoring system signs) for slack, alerts and
 * gateway-events, an SQS batch for the worker (what the slack bundle sent to a local fake SQS), a
 * scheduled event for the keeper. Behind them: dynalite, the CC-Gateway simulator over HTTPS, the
 * local Slack Web API. A bundling mistake (a stubbed module reached, a lazy chunk missing, a config
 * the function does not get) fails here, not in a deploy.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynalite';
import { type FakeSsm, startFakeSsm } from '../../local/fake-ssm';
import { createFakeSlack, type FakeSlack } from '../../local/slack-api/index';
import type { StoredMessage } from '../../local/slack-api/store';
import {
  apiGatewayEvent,
  interactionBody,
  signedHeaders,
  slashCommandBody,
  viewSubmissionPayload,
} from '../../local/slack-sign';
import { buildAll, type FunctionName } from '../../scripts/build';
import { type RunningSimulator, startSimulator } from '../../simulator/index';
import { signAlert } from '../../src/alerts/signature';
import { DynamoStore } from '../../src/store/dynamo';

const SIGNING_SECRET = 'e2e-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-e2e-bundle-token';
const ALERTS_SECRET = 'e2e-alerts-secret-0123456789abcdef';
const TEAM = 'T_LOCAL';
const CHANNEL = 'C_QC';
const USER = 'U_DEMO';
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/000000000000/qc-slack-e2e-jobs.fifo';

/** A local SQS that only takes SendMessage (JSON 1.0) and keeps the messages, as the slack bundle sends them. */
interface FakeSqs {
  url: string;
  sent: { body: string; groupId: string; dedupId: string }[];
  close(): Promise<void>;
}

async function startFakeSqs(): Promise<FakeSqs> {
  const sent: FakeSqs['sent'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const ok =
        req.headers['x-amz-target'] === 'AmazonSQS.SendMessage' &&
        /^AWS4-HMAC-SHA256 /.test(req.headers.authorization ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
      if (!ok || body.QueueUrl !== QUEUE_URL) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidAddress' }));
        return;
      }
      sent.push({
        body: body.MessageBody ?? '',
        groupId: body.MessageGroupId ?? '',
        dedupId: body.MessageDeduplicationId ?? '',
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ MessageId: randomUUID(), SequenceNumber: String(sent.length) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One function's bundle in its own process, invoked like Lambda does. */
class LambdaProcess {
  readonly output: string[] = [];
  #seq = 0;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (c: Buffer) => this.output.push(c.toString()));
    child.stderr?.on('data', (c: Buffer) => this.output.push(c.toString()));
    child.on('message', (m: { id?: number; result?: unknown; error?: string }) => {
      const p = m.id !== undefined ? this.#pending.get(m.id) : undefined;
      if (!p) return;
      this.#pending.delete(m.id as number);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
  }

  static async start(bundle: string, env: Record<string, string>): Promise<LambdaProcess> {
    const child = fork(path.join(import.meta.dirname, 'fixtures', 'lambda-runner.mjs'), [bundle], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    const proc = new LambdaProcess(child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) =>
        reject(new Error(`${bundle} exited ${code} at init: ${proc.output.join('').slice(-1500)}`)),
      );
    });
    return proc;
  }

  invoke<T>(event: unknown): Promise<T> {
    const id = ++this.#seq;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, event });
    });
  }

  stop(): void {
    this.child.kill();
  }
}

let outRoot: string;
let db: LocalDynamo;
let sim: RunningSimulator;
let slack: FakeSlack;
let slackServer: Server;
let slackUrl: string;
let ssm: FakeSsm;
let sqs: FakeSqs;
const lambdas = new Map<FunctionName, LambdaProcess>();

const fn = (name: FunctionName): LambdaProcess => {
  const l = lambdas.get(name);
  if (!l) throw new Error(`${name} not started`);
  return l;
};

/** What serverless.yml gives each function (test/infra/cloudformation.test.ts checks that side). */
function envFor(name: FunctionName): Record<string, string> {
  const common = {
    TABLE_NAME: db.tableName,
    LOG_LEVEL: 'debug',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDE2E',
    AWS_SECRET_ACCESS_KEY: 'e2e-aws-secret',
    AWS_SESSION_TOKEN: 'e2e-session',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_SSM: ssm.url,
    SLACK_API_URL: `${slackUrl}/api/`,
    SLACK_BOT_TOKEN_PARAM: '/qc-slack/e2e/slack-bot-token',
  };
  const gateway = { CCGW_BASE_URL: sim.url, CCGW_CA_PEM: sim.caPem ?? '' };
  switch (name) {
    case 'slack':
      return {
        ...common,
        ...gateway,
        QUEUE_URL,
        AWS_ENDPOINT_URL_SQS: sqs.url,
        SLACK_SIGNING_SECRET_PARAM: '/qc-slack/e2e/slack-signing-secret',
        SLACK_BOT_ID: 'B_QCBOT',
        SLACK_BOT_USER_ID: 'U_QCBOT',
        QC_ADMIN_USER_IDS: 'U_ADMIN',
      };
    case 'worker':
      return { ...common, ...gateway, QC_ADMIN_USER_IDS: 'U_ADMIN', AUDIT_RETENTION_DAYS: '90' };
    case 'keeper':
      return { ...common, ...gateway, KEEPER_RUN_MS: '1500' };
    case 'gateway-events':
      return { ...common, ...gateway };
    case 'alerts':
      return {
        ...common,
        QUEUE_URL,
        AWS_ENDPOINT_URL_SQS: sqs.url,
        ALERTS_SECRET_PARAM: '/qc-slack/e2e/alerts-secret',
      };
  }
}

function slackEvent(body: string) {
  return apiGatewayEvent({ body, headers: signedHeaders(SIGNING_SECRET, body) });
}

async function command(line: string, triggerId?: string) {
  const [cmd = '', ...rest] = line.split(' ');
  const body = slashCommandBody({
    command: cmd,
    text: rest.join(' '),
    userId: USER,
    teamId: TEAM,
    channelId: CHANNEL,
    responseUrl: slack.newResponseUrl({ channel: CHANNEL, user: USER }),
    ...(triggerId ? { triggerId } : {}),
  });
  return fn('slack').invoke<{ statusCode: number; body: string }>(slackEvent(body));
}

/** The jobs the slack bundle sent since `mark`, as the SQS batch Lambda hands the worker. */
function sqsBatch(mark: number) {
  return {
    Records: sqs.sent.slice(mark).map((m, i) => ({
      messageId: randomUUID(),
      receiptHandle: `rh-${i}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        MessageGroupId: m.groupId,
        MessageDeduplicationId: m.dedupId,
        SenderId: 'AROAE2E',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:qc-slack-e2e-jobs.fifo',
      awsRegion: 'eu-west-1',
    })),
  };
}

const channelMessage = (match: RegExp) =>
  slack.store.waitFor((s) => s.channelMessages(CHANNEL).find((m) => match.test(m.text ?? '')));
const threadReply = (parent: StoredMessage, match: RegExp) =>
  slack.store.waitFor((s) => s.thread(parent.channel, parent.ts).find((m) => match.test(m.text ?? '')));

beforeAll(async () => {
  outRoot = await mkdtemp(path.join(tmpdir(), 'qc-slack-bundle-e2e-'));
  await buildAll(outRoot);
  [db, sim, ssm, sqs] = await Promise.all([
    startLocalDynamo(),
    startSimulator({ quiet: true, pollHoldMs: 100 }),
    startFakeSsm({
      '/qc-slack/e2e/slack-signing-secret': { value: SIGNING_SECRET },
      '/qc-slack/e2e/slack-bot-token': { value: BOT_TOKEN },
      '/qc-slack/e2e/alerts-secret': { value: ALERTS_SECRET },
    }),
    startFakeSqs(),
  ]);
  slack = createFakeSlack({
    botToken: BOT_TOKEN,
    teamId: TEAM,
    users: [
      { id: USER, name: 'demo', realName: 'Demo Supervisor' },
      { id: 'U_ADMIN', name: 'admin', realName: 'QC Admin', isAdmin: true },
    ],
    channels: [{ id: CHANNEL, name: 'qc-floor' }],
  });
  slackServer = createServer((req, res) => {
    void slack.handle(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => slackServer.listen(0, '127.0.0.1', resolve));
  slackUrl = `http://127.0.0.1:${(slackServer.address() as AddressInfo).port}`;
  slack.setPublicBaseUrl(slackUrl);
  const store = new DynamoStore({ tableName: db.tableName, client: db.client });
  await store.putLink({
    teamId: TEAM,
    userId: USER,
    inspectorId: '1001',
    phone: '70001',
    displayName: 'Demo Supervisor',
    linkedBy: 'U_ADMIN',
    linkedAt: Date.now(),
  });
  const names: FunctionName[] = ['slack', 'worker', 'keeper', 'gateway-events', 'alerts'];
  const started = await Promise.all(
    names.map((name) => LambdaProcess.start(path.join(outRoot, name, 'index.mjs'), envFor(name))),
  );
  for (const [i, name] of names.entries()) lambdas.set(name, started[i] as LambdaProcess);
}, 180_000);

afterAll(async () => {
  for (const l of lambdas.values()) l.stop();
  await Promise.allSettled([
    sim?.close(),
    db?.close(),
    ssm?.close(),
    sqs?.close(),
    new Promise<void>((resolve) => (slackServer ? slackServer.close(() => resolve()) : resolve())),
  ]);
  if (outRoot) await rm(outRoot, { recursive: true, force: true });
});

describe('the built bundles, driven with Lambda-shaped events', () => {
  it('each function read its secrets from SSM once, at init, with a signed call', () => {
    expect(ssm.calls).toHaveLength(5);
    for (const call of ssm.calls) {
      expect(call.signed).toBe(true);
      expect(call.withDecryption).toBe(true);
    }
    expect(ssm.calls.map((c) => c.names.join(',')).sort()).toEqual(
      [
        '/qc-slack/e2e/slack-signing-secret,/qc-slack/e2e/slack-bot-token',
        '/qc-slack/e2e/slack-bot-token',
        '/qc-slack/e2e/slack-bot-token',
        '/qc-slack/e2e/slack-bot-token',
        '/qc-slack/e2e/slack-bot-token,/qc-slack/e2e/alerts-secret',
      ].sort(),
    );
  });

  it('sign in (modal, lazy chunk) → listen (SQS → worker) → keeper thread reply → intercept', async () => {
    // Sign-in: /qc signin opens the modal (views.open), its submission signs in at the gateway.
    const triggerId = slack.newTriggerId({ user: USER });
    const views = slack.store.views.length;
    expect((await command('/qc signin', triggerId)).statusCode).toBe(200);
    const view = await slack.store.waitFor((s) => s.views.slice(views).find((v) => v.user === USER));
    const state = {
      values: { qc_password: { password_input: { type: 'plain_text_input', value: 'simulator' } } },
    };
    const submit = interactionBody(
      viewSubmissionPayload({ userId: USER, teamId: TEAM, view: { ...view.view, id: view.id, state } }),
    );
    const signin = await fn('slack').invoke<{ statusCode: number; body: string }>(slackEvent(submit));
    expect(signin.statusCode).toBe(200);
    expect(signin.body).toMatch(/Signed in as inspector \*1001\*/);

    // Listen: the ack, the job in SQS, the worker's answer in the channel.
    let mark = sqs.sent.length;
    const listen = await command('/qc listen 2005');
    expect(JSON.parse(listen.body).text).toMatch(/Listening to 2005/);
    expect(sqs.sent.length).toBe(mark + 1);
    const worked = await fn('worker').invoke<{ batchItemFailures: unknown[] }>(sqsBatch(mark));
    expect(worked.batchItemFailures).toEqual([]);
    const listened = await channelMessage(/Listening to agent 2005/);

    // The keeper, on its schedule, polls the inspector's events and posts them in the thread (a run
    // is 1.5 s here; the simulator delivers the call's events over a few polls).
    const answered = /Phone answered: you are listening to 2005/;
    const inThread = () =>
      slack.store.thread(listened.channel, listened.ts).some((m) => answered.test(m.text ?? ''));
    for (let run = 0; run < 8 && !inThread(); run++) {
      const report = await fn('keeper').invoke<{ sessions: number; errors: number }>({ shard: 0, shards: 1 });
      expect(report).toMatchObject({ sessions: 1, errors: 0 });
    }
    await threadReply(listened, answered);

    // Intercept.
    mark = sqs.sent.length;
    const intercept = await command('/intercept 2005');
    expect(JSON.parse(intercept.body).text).toMatch(/Intercepting 2005/);
    await fn('worker').invoke(sqsBatch(mark));
    const result = await channelMessage(/Intercepted the call of agent 2005/);
    expect(result.text).toMatch(/Retcode 0/);
    expect(sim.sim.requestLog.filter((r) => r.logName === 'intercept')).toHaveLength(1);
  }, 60_000);

  it('alerts: a signed API Gateway event posts the alert in the channel', async () => {
    const body = JSON.stringify({
      channel: CHANNEL,
      agentId: '2006',
      reason: 'Customer asked for a supervisor',
    });
    const ts = Math.floor(Date.now() / 1000);
    const event = apiGatewayEvent({
      path: '/alerts',
      body,
      headers: {
        'content-type': 'application/json',
        'x-qc-timestamp': String(ts),
        'x-qc-signature': signAlert(ALERTS_SECRET, ts, body),
      },
    });
    const mark = sqs.sent.length;
    const res = await fn('alerts').invoke<{ statusCode: number; body: string }>(event);
    expect(res.statusCode, res.body).toBe(201);
    await channelMessage(/Customer asked for a supervisor/);
    // Then it asks the worker whether the agent is on a call (a signed SendMessage to the jobs queue).
    const alertId = (JSON.parse(res.body) as { alert_id: string }).alert_id;
    const sent = sqs.sent.slice(mark).map((m) => JSON.parse(m.body) as { kind: string; alertId?: string });
    expect(sent).toEqual([expect.objectContaining({ kind: 'alert-check', alertId })]);
    const forged = apiGatewayEvent({
      path: '/alerts',
      body,
      headers: {
        'content-type': 'application/json',
        'x-qc-timestamp': String(ts),
        'x-qc-signature': signAlert('wrong-secret-0123456789', ts, body),
      },
    });
    expect((await fn('alerts').invoke<{ statusCode: number }>(forged)).statusCode).toBe(401);
  });

  it('gateway-events: a push for an unknown session token is refused after the store lookup', async () => {
    const body = JSON.stringify({
      message: 'ok',
      retcode: '0',
      workNo: '1001',
      guid: 'not-the-guid',
      events: [],
    });
    const event = apiGatewayEvent({
      path: '/gateway/events',
      body,
      headers: { 'content-type': 'application/json', service_token: 'bad' },
    });
    const res = await fn('gateway-events').invoke<{ statusCode: number; body: string }>(event);
    expect([400, 401]).toContain(res.statusCode);
    expect(JSON.parse(res.body)).toHaveProperty('retcode');
  });

  it('no function logged a secret, the password or a Guid, nor asked SSM again after init', () => {
    expect(ssm.calls).toHaveLength(5);
    const logs = [...lambdas.values()].map((l) => l.output.join('')).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [SIGNING_SECRET, BOT_TOKEN, ALERTS_SECRET, 'e2e-aws-secret', '"simulator"']) {
      expect(logs).not.toContain(secret);
    }
    const guid = sim.sim.currentGuid('1001');
    if (guid) expect(logs).not.toContain(guid);
  });
});

/**
 * No log level, in no function, prints a password, Guid, service token, bot token or signing secret.
 *
 * Every built bundle (scripts/build.ts, as `npm run build` builds dist/<fn>/index.mjs) runs in its own
 * Node process with LOG_LEVEL=debug, the way Lambda runs it, against a local stack (dynalite, the
 * CC-Gateway simulator, the local Slack Web API), with an input that carries a secret. Everything the
 * process writes to stdout and stderr is searched for every secret.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGatewayEvent, interactionBody, viewSubmissionPayload } from '../../local/slack-sign';
import { LOCAL_BOT_TOKEN, LOCAL_CHANNEL, LOCAL_TEAM } from '../../local/stack';
import { buildAll, type FunctionName } from '../../scripts/build';
import { defaultScenario } from '../../simulator/scenario';
import { signAlert } from '../../src/alerts/signature';
import { SIGNIN_ACTION, SIGNIN_BLOCK, signInModal } from '../../src/slack/blocks/signin-modal';
import { until, useLocalStack } from '../e2e/support';

const PASSWORD = 'Cti-Canary-Pw-4f7q';
const SIGNING_SECRET = 'signing-canary-8d21f0b7c3e94a55';
const ALERTS_SECRET = 'alerts-canary-51c0e9a2b7d34f18';

const scenario = defaultScenario();
for (const agent of scenario.agents) agent.password = PASSWORD;
// The stack's own keeper sleeps: only the keeper bundle polls.
const env = useLocalStack({
  simulator: { scenario, pollHoldMs: 100 },
  keeper: { rescanMs: 600_000, runMs: 600_000 },
});

let outRoot: string;
/** Every secret the bundles handled, to search their output for. */
const secrets = new Set<string>([PASSWORD, SIGNING_SECRET, ALERTS_SECRET, LOCAL_BOT_TOKEN]);

beforeAll(async () => {
  outRoot = await mkdtemp(path.join(tmpdir(), 'qc-slack-bundle-secrets-'));
  await buildAll(outRoot);
}, 120_000);

afterAll(async () => {
  if (outRoot) await rm(outRoot, { recursive: true, force: true });
});

/** The environment Lambda gives a function (plain env vars), pointing at the local stack. */
function lambdaEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const stack = env.stack;
  return {
    PATH: process.env.PATH ?? '',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LOG_LEVEL: 'debug',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: LOCAL_BOT_TOKEN,
    SLACK_BOT_ID: 'B_QCBOT',
    SLACK_BOT_USER_ID: 'U_QCBOT',
    SLACK_API_URL: `${stack.url}/api/`,
    TABLE_NAME: stack.db.tableName,
    QUEUE_URL: 'http://127.0.0.1:9/000000000000/qc-jobs.fifo',
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: stack.db.endpoint,
    AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9',
    CCGW_BASE_URL: stack.sim?.url ?? '',
    CCGW_CA_PEM: stack.sim?.caPem ?? '',
    ALERTS_SECRET,
    QC_ADMIN_USER_IDS: 'U_ADMIN',
    ...extra,
  };
}

const RUNNER = `
import { pathToFileURL } from 'node:url';
const { handler } = await import(pathToFileURL(process.env.BUNDLE_FILE).href);
const context = { awsRequestId: 'bundle-secrets', functionName: 'qc', getRemainingTimeInMillis: () => 10000 };
const result = await handler(JSON.parse(process.env.BUNDLE_EVENT), context);
process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n');
`;

interface Run {
  child: ChildProcess;
  output: () => string;
  done: Promise<number | null>;
}

/** Starts dist/<fn>/index.mjs in a fresh Node process and hands it one event. */
function startBundle(fn: FunctionName, event: unknown, extraEnv: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--input-type=module', '-e', RUNNER], {
    env: {
      ...lambdaEnv(extraEnv),
      BUNDLE_FILE: path.join(outRoot, fn, 'index.mjs'),
      BUNDLE_EVENT: JSON.stringify(event),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => out, done };
}

/** Runs a bundle to the end; its result and everything it wrote. */
async function runBundle(fn: FunctionName, event: unknown, extraEnv: Record<string, string> = {}) {
  const run = startBundle(fn, event, extraEnv);
  const code = await run.done;
  const output = run.output();
  expect(code, `${fn} exited with ${code}:\n${output}`).toBe(0);
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  const result = JSON.parse(line?.slice('RESULT '.length) ?? 'null') as {
    statusCode?: number;
    body?: string;
  } | null;
  return { result, output };
}

/** No secret (nor the first 8 characters of a Guid) anywhere in `output`. */
function expectNoSecretIn(fn: string, output: string): void {
  for (const secret of secrets) {
    expect(output.includes(secret), `${fn} printed a secret (${secret.slice(0, 4)}…)`).toBe(false);
    if (secret.includes('.AgentGateway'))
      expect(output.includes(secret.slice(0, 8)), `${fn} printed the start of a Guid`).toBe(false);
  }
}

function signedSlackEvent(body: string) {
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return apiGatewayEvent({
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-signature': signature,
      'x-slack-request-timestamp': String(ts),
    },
  });
}

/** The sign-in modal as Slack submits it: the CTI password in the view's state. */
function signInSubmission(user: string, inspectorId: string) {
  const view = {
    ...signInModal({ inspectorId, phones: ['70001'] }),
    id: `V${randomUUID().slice(0, 8).toUpperCase()}`,
    state: {
      values: {
        [SIGNIN_BLOCK.password]: { [SIGNIN_ACTION.password]: { type: 'plain_text_input', value: PASSWORD } },
      },
    },
  };
  return signedSlackEvent(interactionBody(viewSubmissionPayload({ userId: user, teamId: LOCAL_TEAM, view })));
}

async function noteSecretsOf(inspectorId: string): Promise<void> {
  const guid = env.sim.currentGuid(inspectorId);
  if (guid) secrets.add(guid);
  const session = await env.stack.store.getSession(inspectorId);
  if (session?.guid) secrets.add(session.guid);
  if (session?.serviceToken) secrets.add(session.serviceToken);
}

// Each test starts a Node process and loads a bundle: seconds on a busy machine, hence the bound.
describe('bundles at LOG_LEVEL=debug print no secret', { timeout: 60_000 }, () => {
  it('slack: a signed view_submission of the sign-in modal (the CTI password)', async () => {
    const { result, output } = await runBundle('slack', signInSubmission('U_DEMO', '1001'));
    expect(result?.statusCode).toBe(200);
    expect(result?.body).toContain('Signed in as inspector *1001*');
    expect(output).toContain('"level":20'); // debug lines are on
    await noteSecretsOf('1001');
    expect(secrets.size).toBeGreaterThan(4);
    expectNoSecretIn('slack', output);
  });

  it('slack: a push-mode sign-in (a service token is made and sent to the gateway)', async () => {
    const { result, output } = await runBundle('slack', signInSubmission('U_DEMO2', '1003'), {
      GATEWAY_CALLBACK_URL: `${env.stack.url}/gateway/events`,
    });
    expect(result?.body).toContain('Signed in as inspector *1003*');
    await noteSecretsOf('1003');
    expect((await env.stack.store.getSession('1003'))?.serviceToken).toBeTruthy();
    expectNoSecretIn('slack', output);
  });

  it('gateway-events: a push carrying the service_token and the Guid', async () => {
    const session = await env.stack.store.getSession('1003');
    const event = apiGatewayEvent({
      path: '/gateway/events',
      body: JSON.stringify({ workNo: '1003', eventList: [] }),
      headers: {
        'content-type': 'application/json',
        service_token: session?.serviceToken ?? '',
        guid: session?.guid ?? '',
      },
    });
    const { result, output } = await runBundle('gateway-events', event);
    expect(result?.statusCode).toBe(200);
    expectNoSecretIn('gateway-events', output);
  });

  it('worker: an SQS job that calls the gateway with the Guid', async () => {
    const job = {
      v: 1,
      kind: 'qc',
      op: 'listen',
      agentId: '2005',
      inspectorId: '1001',
      requestId: randomUUID().replaceAll('-', ''),
      slack: {
        teamId: LOCAL_TEAM,
        userId: 'U_DEMO',
        channelId: LOCAL_CHANNEL,
        responseUrl: env.stack.slack.newResponseUrl({ channel: LOCAL_CHANNEL, user: 'U_DEMO' }),
      },
      requestedAt: Date.now(),
    };
    const listensBefore = env.sim.requestLog.filter((r) => r.agentId === '1001').length;
    const { output } = await runBundle('worker', {
      Records: [
        {
          messageId: randomUUID(),
          body: JSON.stringify(job),
          attributes: { MessageGroupId: 'inspector-1001', ApproximateReceiveCount: '1' },
        },
      ],
    });
    expect(env.sim.requestLog.filter((r) => r.agentId === '1001').length).toBeGreaterThan(listensBefore);
    expectNoSecretIn('worker', output);
  });

  it('keeper: a scheduled run that polls events with the Guid', async () => {
    const from = env.sim.now();
    const run = startBundle('keeper', {});
    try {
      await until(
        'the keeper bundle to poll 1001',
        () =>
          env.sim.requestLog.some(
            (r) => r.logName === 'getAgentEvent' && r.agentId === '1001' && r.at >= from,
          ),
        { timeoutMs: 45_000 },
      );
    } finally {
      run.child.kill('SIGTERM');
      await run.done;
    }
    await noteSecretsOf('1001');
    expectNoSecretIn('keeper', run.output());
  });

  it('alerts: a signed monitoring alert', async () => {
    const body = JSON.stringify({ agentId: '2005', title: 'Long call', severity: 'warning' });
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
    const { result, output } = await runBundle('alerts', event);
    expect(result?.statusCode).toBeLessThan(500);
    expectNoSecretIn('alerts', output);
  });
});

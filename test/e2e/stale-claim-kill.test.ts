import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionsPayload,
  interactionBody,
  nowTs,
  signedHeaders,
  slashCommandBody,
  viewSubmissionPayload,
} from '../../local/slack-sign';
import { LOCAL_ALERTS_SECRET, LOCAL_CHANNEL, LOCAL_SIGNING_SECRET, LOCAL_TEAM } from '../../local/stack';
import { fillModal } from '../../scripts/slack';
import { type RunningSimulator, startSimulator } from '../../simulator/index';
import { signAlert } from '../../src/alerts/signature';
import { alertOpValue } from '../../src/slack/button-value';
import { DynamoStore } from '../../src/store/dynamo';
import { until } from './support';

/**
 * kill -9 of the local stack while the worker waits for the gateway's answer to an intercept, then a
 * restart on the same --data-dir. The in-process queue is memory-only, so the message died with the
 * process: the redelivery is simulated by re-sending the same signed click (same action_ts, hence the
 * same request id; only the response_url is new, as the local Slack API restarted too).
 * The simulator runs in this test process (CCGW_BASE_URL), so its request log spans both runs.
 */
interface Running {
  child: ChildProcess;
  url: string;
  dynamo: string;
  exited: Promise<void>;
}

let sim: RunningSimulator;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sim = await startSimulator({ quiet: true, http: true, pollHoldMs: 200 });
  dataDir = mkdtempSync(join(tmpdir(), 'qc-stale-'));
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `node --import tsx local/start.ts` (one process, so SIGKILL kills the whole stack). */
async function startStack(env: Record<string, string>): Promise<Running> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--port', '0', '--data-dir', dataDir],
    {
      env: {
        ...process.env,
        CCGW_BASE_URL: sim.url,
        // The gateway answer timeout must not end the hang before the kill.
        CCGW_REQUEST_TIMEOUT_MS: '60000',
        LOG_LEVEL: 'error',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  await until('the local stack banner', () => out.includes('Ctrl-C stops everything'), { timeoutMs: 90_000 });
  const url = /Slack endpoint\s+POST (http:\/\/127\.0\.0\.1:\d+)\/slack\/events/.exec(out)?.[1];
  const dynamo = /DynamoDB\s+(http:\/\/127\.0\.0\.1:\d+) table/.exec(out)?.[1];
  if (!url || !dynamo) throw new Error(`no URLs in the banner:\n${out}`);
  return { child, url, dynamo, exited };
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function responseUrl(base: string, user: string, messageTs?: string) {
  return json<{ url: string; triggerId: string; now: number }>(
    await fetch(`${base}/_local/response-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: LOCAL_CHANNEL, user, ...(messageTs ? { messageTs } : {}) }),
    }),
  );
}

async function post(base: string, body: string): Promise<number> {
  const res = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: signedHeaders(LOCAL_SIGNING_SECRET, body),
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

async function command(base: string, line: string, user = 'U_DEMO') {
  const info = await responseUrl(base, user);
  const [cmd = '', ...rest] = line.split(' ');
  const body = slashCommandBody({
    command: cmd,
    text: rest.join(' '),
    userId: user,
    teamId: LOCAL_TEAM,
    channelId: LOCAL_CHANNEL,
    channelName: 'qc-floor',
    responseUrl: info.url,
    triggerId: info.triggerId,
  });
  expect(await post(base, body)).toBe(200);
  return info;
}

type Msg = { text?: string; ephemeralTo?: string };
async function waitForMessage(base: string, since: number, match: RegExp): Promise<Msg> {
  return until(
    `a message matching ${match}`,
    async () => {
      const items = await json<Msg[]>(await fetch(`${base}/_local/messages?since=${since}`));
      return items.find((m) => match.test(m.text ?? ''));
    },
    { timeoutMs: 15_000, intervalMs: 50 },
  );
}

async function signIn(base: string, user: string) {
  const info = await command(base, '/qc signin', user);
  type View = { id: string; user: string; view: Record<string, unknown> };
  const modal = await until('the sign-in modal', async () => {
    const views = await json<View[]>(await fetch(`${base}/_local/views?user=${user}&since=${info.now}`));
    return views.find((v) => v.user === user);
  });
  const { values } = fillModal(modal.view, 'simulator');
  const body = interactionBody(
    viewSubmissionPayload({ userId: user, teamId: LOCAL_TEAM, view: { ...modal.view, state: { values } } }),
  );
  expect(await post(base, body)).toBe(200);
}

async function postAlert(base: string, agentId: string): Promise<{ alertId: string; ts: string }> {
  const raw = JSON.stringify({ channel: LOCAL_CHANNEL, agentId, reason: 'Customer asked for a supervisor' });
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await json<{ alert_id: string; ts: string }>(
    await fetch(`${base}/alerts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-qc-timestamp': String(timestamp),
        'x-qc-signature': signAlert(LOCAL_ALERTS_SECRET, timestamp, raw),
      },
      body: raw,
    }),
  );
  return { alertId: res.alert_id, ts: res.ts };
}

/** The click on the alert's Intercept button, as Slack sends it (a redelivery has the same action_ts). */
async function clickIntercept(base: string, alert: { alertId: string; ts: string }, actionTs: string) {
  const info = await responseUrl(base, 'U_DEMO', alert.ts);
  const body = interactionBody(
    blockActionsPayload({
      userId: 'U_DEMO',
      teamId: LOCAL_TEAM,
      channelId: LOCAL_CHANNEL,
      messageTs: alert.ts,
      responseUrl: info.url,
      actionId: 'qc_alert:3',
      value: alertOpValue('intercept', '2005', alert.alertId),
      actionTs,
    }),
  );
  expect(await post(base, body)).toBe(200);
  return info;
}

const intercepts = () => sim.sim.requestLog.filter((r) => r.logName === 'intercept');

describe('kill -9 while the gateway holds an intercept, restart on the same --data-dir', () => {
  it('the redelivery says "outcome unknown, check /qc status", calls no gateway, frees the alert', async () => {
    const first = await startStack({});
    await signIn(first.url, 'U_DEMO');
    const listened = await command(first.url, '/qc listen 2005');
    await waitForMessage(first.url, listened.now, /Listening to agent 2005/);
    const alert = await postAlert(first.url, '2005');

    sim.sim.injectFault({ interface: 'intercept', kind: 'hang' });
    const actionTs = nowTs();
    await clickIntercept(first.url, alert, actionTs);
    await until('the intercept to reach the gateway', () => intercepts().length === 1, { timeoutMs: 15_000 });
    const sentAt = Date.now();
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');

    // Restarted with a 1 s worker timeout: the dead worker's claim is stale 1 s after it was taken.
    const second = await startStack({ WORKER_TIMEOUT_MS: '1000' });
    await until('the claim to be older than the worker timeout', () => Date.now() > sentAt + 1_000);
    const redelivered = await clickIntercept(second.url, alert, actionTs);
    const told = await waitForMessage(second.url, redelivered.now, /outcome is unknown/);
    expect(told.ephemeralTo).toBe('U_DEMO');
    expect(told.text).toMatch(/`intercept 2005`.*It was not sent again\. Check `\/qc status`/s);

    const store = new DynamoStore({
      tableName: 'qc-slack-local',
      clientConfig: {
        endpoint: second.dynamo,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
    });
    await until(
      'the alert to be freed',
      async () => (await store.alerts.getAlert(alert.alertId))?.interceptedBy === undefined,
    );
    expect(intercepts()).toHaveLength(1);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 240_000);
});

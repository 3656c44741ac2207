import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { FakeClock, type RunningSimulator, type Scenario, startSimulator } from '../../simulator/index';
import { type AlertDeps, receiveAlert } from '../alerts/receive';
import { workerLimitsConfig } from '../config';
import { GatewayClient, type GatewayClientOptions } from '../gateway/client';
import type { Logger } from '../gateway/logger';
import { createLogger } from '../log';
import { Keeper } from '../qc/keeper';
import { DEFAULT_PERMISSIONS, type Permission } from '../qc/permissions';
import { receivePush } from '../qc/push-events';
import { signInInspector } from '../qc/signin';
import { InProcessFifoQueue } from '../queue/memory';
import { bodyOf, headersOf, jsonResult } from '../runtime/http-event';
import type { WorkerDeps } from '../runtime/worker-deps';
import { createWorkerHandler } from '../runtime/worker-handler';
import { SlackAlertPublisher } from '../slack/alert-publisher';
import { createSlackApp } from '../slack/app';
import type { AckDeps } from '../slack/deps';
import { SlackNotifier } from '../slack/notifier';
import { DynamoStore } from '../store/dynamo';
import { HttpLinkReader } from '../store/link-reader';
import { type ConsoleBridge, createConsole } from './console/index';
import { type LocalDynamo, startLocalDynamo } from './dynalite';
import { readBody, sendLambdaResult, toApiGatewayEvent } from './http-event';
import { createFakeSlack, dmChannelId, type FakeSlack, type FakeUser } from './slack-api/index';
import { type SocketModeTokens, startSocketMode } from './socket-mode';

export const LOCAL_SIGNING_SECRET = 'local-signing-secret';
export const LOCAL_BOT_TOKEN = 'xoxb-local-qc-slack';
export const LOCAL_TEAM = 'T_LOCAL';
export const LOCAL_CHANNEL = 'C_QC';
export const LOCAL_ALERTS_SECRET = 'local-alerts-secret';

export const DEMO_USERS = [
  { id: 'U_DEMO', name: 'demo', realName: 'Demo Supervisor', inspectorId: '1001', phone: '70001' },
  { id: 'U_DEMO2', name: 'demo2', realName: 'Second Inspector', inspectorId: '1003', phone: '70003' },
  { id: 'U_ADMIN', name: 'admin', realName: 'QC Admin', isAdmin: true },
  { id: 'U_STRANGER', name: 'stranger', realName: 'Not Linked' },
] as const;

export interface LocalStackOptions {
  port?: number;
  /** Keep the table on disk here (else in memory). */
  dataDir?: string;
  /** A real gateway instead of the simulator. */
  gateway?: GatewayClientOptions;
  /** Simulator knobs (tests use a fake clock and short holds; load tests a bigger scenario). */
  simulator?: { pollHoldMs?: number; fakeClock?: boolean; authMode?: 1 | 2; scenario?: Scenario };
  /** More users the local Slack API knows, besides DEMO_USERS (load tests). */
  slackUsers?: FakeUser[];
  /** Keeper knobs (tests rescan fast). */
  keeper?: { rescanMs?: number; runMs?: number; leaseMs?: number };
  logger?: Logger;
  /** Push mode: the gateway posts events to our /gateway/events. */
  push?: boolean;
  quiet?: boolean;
  /** A real workspace over Socket Mode instead of the local Slack Web API (`npm start` with tokens). */
  socketMode?: SocketModeTokens;
  /** The permissions inspectors have until an admin changes them (default: listen, insert, whisper, intercept). */
  defaultPermissions?: readonly Permission[];
  /** Slack user IDs allowed to link/unlink (default: the demo admin). */
  adminUserIds?: ReadonlySet<string>;
  /** The browser console at /console/ (default: on, except in Socket Mode, where it never runs). */
  console?: boolean;
}

export interface LocalStack {
  url: string;
  slack: FakeSlack;
  sim?: RunningSimulator;
  /** The browser console (absent in Socket Mode or with `console: false`). */
  console?: ConsoleBridge;
  db: LocalDynamo;
  store: DynamoStore;
  queue: InProcessFifoQueue;
  deps: WorkerDeps;
  close(): Promise<void>;
}

/**
 * The whole product in one process: the same handlers as on Lambda behind one HTTP server with
 * API Gateway's routes, dynalite, an in-process FIFO queue, the keeper loop, the CC-Gateway
 * simulator, and a local Slack Web API standing in for Slack.
 */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const logger = opts.logger ?? createLogger(process.env.LOG_LEVEL ?? 'warn');
  const sim = opts.gateway
    ? undefined
    : await startSimulator({
        quiet: true,
        ...(opts.simulator?.pollHoldMs !== undefined ? { pollHoldMs: opts.simulator.pollHoldMs } : {}),
        ...(opts.simulator?.fakeClock ? { clock: new FakeClock(Date.now()) } : {}),
        ...(opts.simulator?.authMode ? { authMode: opts.simulator.authMode } : {}),
        ...(opts.simulator?.scenario ? { scenario: opts.simulator.scenario } : {}),
      });
  const gatewayOptions: GatewayClientOptions = opts.gateway ?? {
    baseUrl: sim?.url ?? '',
    ...(sim?.caPem ? { caPem: sim.caPem } : {}),
  };
  const db = await startLocalDynamo({ ...(opts.dataDir ? { path: opts.dataDir } : {}) });
  const store = new DynamoStore({ tableName: db.tableName, client: db.client });

  const slack = createFakeSlack({
    botToken: LOCAL_BOT_TOKEN,
    teamId: LOCAL_TEAM,
    users: [
      ...DEMO_USERS.map((u) => ({
        id: u.id,
        name: u.name,
        realName: u.realName,
        ...('isAdmin' in u ? { isAdmin: true } : {}),
      })),
      ...(opts.slackUsers ?? []),
    ],
    channels: [
      { id: LOCAL_CHANNEL, name: 'qc-floor' },
      { id: 'C_NOBOT', name: 'no-bot-here', botIsMember: false },
    ],
  });

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  slack.setPublicBaseUrl(url);

  const web = opts.socketMode
    ? new WebClient(opts.socketMode.botToken, {
        retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 2000 },
      })
    : new WebClient(LOCAL_BOT_TOKEN, {
        slackApiUrl: `${url}/api/`,
        retryConfig: { retries: 2, minTimeout: 50, maxTimeout: 2000 },
      });
  const gateway = new GatewayClient({ ...gatewayOptions, logger });
  const admins =
    opts.adminUserIds ?? new Set<string>(DEMO_USERS.filter((u) => 'isAdmin' in u).map((u) => u.id));
  const deps: WorkerDeps = {
    store,
    gateway,
    notifier: new SlackNotifier(web, logger),
    logger,
    now: Date.now,
    adminUserIds: admins,
    defaultPermissions: opts.defaultPermissions ?? DEFAULT_PERMISSIONS,
    maxAgentId: gateway.maxAgentId,
    limits: workerLimitsConfig(),
  };
  const worker = createWorkerHandler(deps);
  const queue = new InProcessFifoQueue(worker, { maxReceives: deps.limits?.maxReceiveCount ?? 3 });
  const pushCallbackUrl = opts.push ? `${url}/gateway/events` : undefined;

  const signInGateway = new GatewayClient({
    ...gatewayOptions,
    connectTimeoutMs: 1_000,
    requestTimeoutMs: 2_000,
    logger,
  });
  const ackDeps: AckDeps = {
    links: new HttpLinkReader({
      tableName: db.tableName,
      region: 'local',
      endpoint: db.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    queue,
    maxAgentId: gateway.maxAgentId,
    adminUserIds: admins,
    logger,
    now: Date.now,
    signIn: (req) =>
      signInInspector(
        {
          store,
          gateway: signInGateway,
          logger,
          now: Date.now,
          ...(pushCallbackUrl ? { pushCallbackUrl } : {}),
        },
        req,
      ),
  };
  const { handler: slackHandler } = createSlackApp(
    {
      signingSecret: LOCAL_SIGNING_SECRET,
      botToken: LOCAL_BOT_TOKEN,
      botId: 'B_QCBOT',
      botUserId: 'U_QCBOT',
      apiUrl: `${url}/api/`,
      logLevel: 'error',
    },
    ackDeps,
  );
  const alertDeps: AlertDeps = {
    secret: LOCAL_ALERTS_SECRET,
    maxAgentId: gateway.maxAgentId,
    now: Date.now,
    logger,
    publisher: new SlackAlertPublisher({ client: web, store, now: Date.now }),
  };
  const socket = opts.socketMode ? await startSocketMode(opts.socketMode, ackDeps) : undefined;
  const consoleBridge =
    opts.socketMode || opts.console === false
      ? undefined
      : createConsole({
          url,
          slack,
          ...(sim ? { sim: sim.sim } : {}),
          signingSecret: LOCAL_SIGNING_SECRET,
          alertsSecret: LOCAL_ALERTS_SECRET,
          teamId: LOCAL_TEAM,
          users: DEMO_USERS.map((u) => ({
            id: u.id,
            name: u.name,
            realName: u.realName,
            role: 'inspectorId' in u ? 'inspector' : 'isAdmin' in u ? 'admin' : 'unlinked',
            ...('inspectorId' in u ? { inspectorId: u.inspectorId, phone: u.phone } : {}),
            dm: dmChannelId(u.id),
          })),
          channels: [{ id: LOCAL_CHANNEL, name: 'qc-floor' }],
        });

  server.on('request', (req, res) => {
    void (async () => {
      try {
        if (await slack.handle(req, res)) return;
        if (consoleBridge && (await consoleBridge.handle(req, res))) return;
        const path = new URL(req.url ?? '/', url).pathname;
        if (req.method === 'POST' && path === '/slack/events') {
          const body = await readBody(req);
          sendLambdaResult(res, await slackHandler(toApiGatewayEvent(req, body) as never, {} as never));
          return;
        }
        // The JSON endpoints get the event Lambda would get, decoded as their handlers decode it.
        if (req.method === 'POST' && path === '/alerts') {
          const event = toApiGatewayEvent(req, await readBody(req));
          const result = await receiveAlert(alertDeps, {
            method: 'POST',
            headers: headersOf(event),
            body: bodyOf(event),
          });
          sendLambdaResult(res, jsonResult(result.status, result.body));
          return;
        }
        if (req.method === 'POST' && path === '/gateway/events') {
          const event = toApiGatewayEvent(req, await readBody(req));
          const result = await receivePush(deps, { headers: headersOf(event), body: bodyOf(event) });
          sendLambdaResult(res, jsonResult(result.status, result.body));
          return;
        }
        if (req.method === 'GET' && path === '/' && consoleBridge) {
          res.writeHead(302, { location: '/console/' });
          res.end();
          return;
        }
        if (req.method === 'GET' && (path === '/' || path === '/healthz')) {
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(
            `qc-slack local stack: POST /slack/events, POST /alerts, POST /gateway/events; Slack Web API at /api/${consoleBridge ? '; console at /console/' : ''}\n`,
          );
          return;
        }
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found\n');
      } catch (err) {
        logger.error(
          { error: (err as Error).name, msg: (err as Error).message },
          'local server request failed',
        );
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    })();
  });

  // Demo links: the inspectors of the simulator's default scenario (not in a real workspace).
  for (const u of opts.socketMode ? [] : DEMO_USERS) {
    if ('inspectorId' in u) {
      await store.putLink({
        teamId: LOCAL_TEAM,
        userId: u.id,
        inspectorId: u.inspectorId,
        phone: u.phone,
        displayName: u.realName,
        linkedBy: 'U_ADMIN',
        linkedAt: Date.now(),
      });
    }
  }

  // The keeper loop: on Lambda a scheduled ~55 s run every minute; here back to back.
  const abort = new AbortController();
  const keeperLoop = (async () => {
    while (!abort.signal.aborted) {
      const keeper = new Keeper(deps, {
        rescanMs: opts.keeper?.rescanMs ?? 500,
        runMs: opts.keeper?.runMs ?? 55_000,
        leaseMs: opts.keeper?.leaseMs ?? 45_000,
        errorBackoffMs: 200,
      });
      await keeper
        .run(abort.signal)
        .catch((err: unknown) => logger.error({ error: (err as Error).name }, 'keeper run failed'));
    }
  })();

  return {
    url,
    slack,
    ...(sim ? { sim } : {}),
    ...(consoleBridge ? { console: consoleBridge } : {}),
    db,
    store,
    queue,
    deps,
    close: async () => {
      abort.abort();
      consoleBridge?.close();
      await socket?.stop().catch(() => {});
      // Let a held long poll come back (it may carry an event) before cutting the connections.
      await Promise.race([keeperLoop, new Promise((r) => setTimeout(r, 2_000).unref())]);
      await gateway.destroy();
      await signInGateway.destroy();
      await keeperLoop;
      await queue.drained();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await sim?.close();
      await db.close();
    },
  };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { FakeClock, type RunningSimulator, type Scenario, startSimulator } from '../simulator/index';
import { type AlertDeps, receiveAlert } from '../src/alerts/receive';
import { logLevelConfig, workerLimitsConfig } from '../src/config';
import { GatewayClient, type GatewayClientOptions } from '../src/gateway/client';
import { createLogger } from '../src/log';
import type { Logger } from '../src/logger';
import { Keeper } from '../src/qc/keeper';
import { DEFAULT_PERMISSIONS, type Permission } from '../src/qc/permissions';
import { receivePush } from '../src/qc/push-events';
import { signInInspector } from '../src/qc/signin';
import { InProcessFifoQueue } from '../src/queue/memory';
import { bodyOf, headersOf, jsonResult } from '../src/runtime/http-event';
import type { WorkerDeps } from '../src/runtime/worker-deps';
import { createWorkerHandler } from '../src/runtime/worker-handler';
import { SlackAlertPublisher } from '../src/slack/alert-publisher';
import { createSlackApp } from '../src/slack/app';
import type { AckDeps } from '../src/slack/deps';
import { NOTIFIER_WEB_OPTIONS, SlackNotifier } from '../src/slack/notifier';
import { slackErrorCode } from '../src/slack/web-api-errors';
import { DynamoStore } from '../src/store/dynamo';
import { HttpLinkReader } from '../src/store/link-reader';
import { type ConsoleBridge, createConsole } from './console/index';
import { type LocalDynamo, startLocalDynamo } from './dynalite';
import { refuseForeignCaller } from './host-guard';
import { readBody, sendLambdaResult, toApiGatewayEvent } from './http-event';
import {
  createFakeSlack,
  dmChannelId,
  type FakeSlack,
  type FakeUser,
  type RateLimitConfig,
} from './slack-api/index';
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
  /** Gateway client settings (CCGW_* timeouts, CCGW_MAX_AGENT_ID…) for the simulator too; `gateway` has its own. */
  gatewaySettings?: Omit<GatewayClientOptions, 'baseUrl' | 'caPem' | 'logger'>;
  /** Simulator knobs (tests use a fake clock and short holds; load tests a bigger scenario). */
  simulator?: {
    pollHoldMs?: number;
    fakeClock?: boolean;
    authMode?: 1 | 2;
    scenario?: Scenario;
    /** Deployments that differ: the 2018 route table, a load balancer that needs its cookie. */
    profile?: 'default' | 'legacy';
    elbCookie?: boolean;
  };
  /** More users the local Slack API knows, besides DEMO_USERS (load tests). */
  slackUsers?: FakeUser[];
  /**
   * Slack's rate limits in the local Slack API (local/slack-api/rate-limits.ts): `true` for Slack's
   * figures (`npm start`, the bench), or other figures. Default off (tests that do not test limits).
   */
  slackRateLimits?: boolean | Partial<RateLimitConfig>;
  /** Keeper knobs (tests rescan fast). */
  keeper?: { rescanMs?: number; runMs?: number; leaseMs?: number };
  logger?: Logger;
  /** Push mode: the gateway posts events to our /gateway/events. */
  push?: boolean;
  quiet?: boolean;
  /** A real workspace over Socket Mode instead of the local Slack Web API (`npm start` with tokens). */
  socketMode?: SocketModeTokens;
  /** How Socket Mode connects (default: Bolt over Slack's WebSocket; tests pass one that reaches nothing). */
  startSocketMode?: typeof startSocketMode;
  /** The permissions inspectors have until an admin changes them (default: listen, insert, whisper, intercept). */
  defaultPermissions?: readonly Permission[];
  /** Slack user IDs allowed to link/unlink (default: the demo admin). */
  adminUserIds?: ReadonlySet<string>;
  /** The browser console at /console/ (default: on, except in Socket Mode, where it never runs). */
  console?: boolean;
}

/** The stack's HTTP port could not be opened (in use, or not allowed). */
export class ListenError extends Error {
  constructor(
    readonly port: number,
    readonly code: string,
  ) {
    super(`cannot listen on 127.0.0.1:${port} (${code})`);
    this.name = 'ListenError';
  }
}

/** Socket Mode could not connect to the workspace (a wrong or revoked token, no network…). */
export class SocketModeError extends Error {
  constructor(readonly reason: string) {
    super(`Socket Mode could not connect to Slack (${reason})`);
    this.name = 'SocketModeError';
  }
}

/** What GET /healthz answers: the CLI checks it talks to a qc-slack stack, and how busy it is. */
export interface LocalHealth {
  service: 'qc-slack-local';
  mode: 'local' | 'socket';
  /** Jobs queued or running in the worker. */
  pendingJobs: number;
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

type SlackHandler = ReturnType<typeof createSlackApp>['handler'];

/** What the HTTP routes reach; the Slack and alert routes are absent in Socket Mode. */
interface Routes {
  url: string;
  slack: FakeSlack;
  deps: WorkerDeps;
  health(): LocalHealth;
  consoleBridge?: ConsoleBridge;
  slackHandler?: SlackHandler;
  alertDeps?: AlertDeps;
}

/** API Gateway's routes plus the local ones, every one behind the host guard. */
async function route(r: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (refuseForeignCaller(req, res)) return;
  if (await r.slack.handle(req, res)) return;
  if (r.consoleBridge && (await r.consoleBridge.handle(req, res))) return;
  const path = new URL(req.url ?? '/', r.url).pathname;
  if (req.method === 'POST' && path === '/slack/events' && r.slackHandler) {
    const body = await readBody(req);
    sendLambdaResult(res, await r.slackHandler(toApiGatewayEvent(req, body) as never, {} as never));
    return;
  }
  // The JSON endpoints get the event Lambda would get, decoded as their handlers decode it.
  if (req.method === 'POST' && path === '/alerts' && r.alertDeps) {
    const event = toApiGatewayEvent(req, await readBody(req));
    const result = await receiveAlert(r.alertDeps, {
      method: 'POST',
      headers: headersOf(event),
      body: bodyOf(event),
    });
    sendLambdaResult(res, jsonResult(result.status, result.body));
    return;
  }
  if (req.method === 'POST' && path === '/gateway/events') {
    const event = toApiGatewayEvent(req, await readBody(req));
    const result = await receivePush(r.deps, { headers: headersOf(event), body: bodyOf(event) });
    sendLambdaResult(res, jsonResult(result.status, result.body));
    return;
  }
  if (req.method === 'GET' && path === '/healthz') {
    sendLambdaResult(res, jsonResult(200, r.health()));
    return;
  }
  if (req.method === 'GET' && path === '/' && r.consoleBridge) {
    res.writeHead(302, { location: '/console/' });
    res.end();
    return;
  }
  if (req.method === 'GET' && path === '/') {
    const routes = r.slackHandler
      ? 'POST /slack/events, POST /alerts, POST /gateway/events'
      : 'Socket Mode (Slack over its WebSocket), POST /gateway/events';
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(
      `qc-slack local stack: ${routes}; Slack Web API at /api/${r.consoleBridge ? '; console at /console/' : ''}\n`,
    );
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
}

/** Opens the stack's port first, so a busy port is one clear error before anything else starts. */
async function listen(port: number): Promise<{ server: Server; url: string }> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new ListenError(port, err.code ?? 'error')));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * The gateway clients' logger: while the stack stops, the calls it cuts (held long polls) are not
 * failures, so they are logged at debug instead of as warnings.
 */
function quietWhenStopping(logger: Logger, stopping: () => boolean): Logger {
  return {
    debug: (o, m) => logger.debug(o, m),
    info: (o, m) => logger.info(o, m),
    warn: (o, m) => (stopping() ? logger.debug(o, m) : logger.warn(o, m)),
    error: (o, m) => (stopping() ? logger.debug(o, m) : logger.error(o, m)),
  };
}

/**
 * The whole product in one process: the same handlers as on Lambda behind one HTTP server with
 * API Gateway's routes, dynalite, an in-process FIFO queue, the keeper loop, the CC-Gateway
 * simulator, and a local Slack Web API standing in for Slack.
 */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const logger = opts.logger ?? createLogger(logLevelConfig(process.env, 'warn'));
  const { server, url } = await listen(opts.port ?? 0);
  const sim = opts.gateway
    ? undefined
    : await startSimulator({
        quiet: true,
        ...(opts.simulator?.pollHoldMs !== undefined ? { pollHoldMs: opts.simulator.pollHoldMs } : {}),
        ...(opts.simulator?.fakeClock ? { clock: new FakeClock(Date.now()) } : {}),
        ...(opts.simulator?.authMode ? { authMode: opts.simulator.authMode } : {}),
        ...(opts.simulator?.scenario ? { scenario: opts.simulator.scenario } : {}),
        ...(opts.simulator?.profile ? { profile: opts.simulator.profile } : {}),
        ...(opts.simulator?.elbCookie ? { elbCookie: true } : {}),
      });
  const gatewayOptions: GatewayClientOptions = opts.gateway ?? {
    ...opts.gatewaySettings,
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
    ...(opts.slackRateLimits ? { rateLimits: opts.slackRateLimits } : {}),
  });

  slack.setPublicBaseUrl(url);

  // The notifier's client hands 429s to the notifier (NOTIFIER_WEB_OPTIONS); the alert publisher's retries them.
  const webClient = (extra: { rejectRateLimitedCalls?: boolean } = {}) =>
    opts.socketMode
      ? new WebClient(opts.socketMode.botToken, {
          ...(opts.socketMode.apiUrl ? { slackApiUrl: opts.socketMode.apiUrl } : {}),
          retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 2000 },
          ...extra,
        })
      : new WebClient(LOCAL_BOT_TOKEN, {
          slackApiUrl: `${url}/api/`,
          retryConfig: { retries: 2, minTimeout: 50, maxTimeout: 2000 },
          ...extra,
        });
  const web = webClient();
  let stopping = false;
  const gatewayLogger = quietWhenStopping(logger, () => stopping);
  const gateway = new GatewayClient({ ...gatewayOptions, logger: gatewayLogger });
  const admins =
    opts.adminUserIds ?? new Set<string>(DEMO_USERS.filter((u) => 'isAdmin' in u).map((u) => u.id));
  const deps: WorkerDeps = {
    store,
    gateway,
    notifier: new SlackNotifier(webClient(NOTIFIER_WEB_OPTIONS), logger, { kept: store.posts }),
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
    logger: gatewayLogger,
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
  // In Socket Mode the app hears Slack over the WebSocket only: its local signing and alerts secrets are
  // public (printed), so no HTTP route takes requests signed with them.
  const slackHandler = opts.socketMode
    ? undefined
    : createSlackApp(
        {
          signingSecret: LOCAL_SIGNING_SECRET,
          botToken: LOCAL_BOT_TOKEN,
          botId: 'B_QCBOT',
          botUserId: 'U_QCBOT',
          apiUrl: `${url}/api/`,
          logLevel: 'error',
        },
        ackDeps,
      ).handler;
  const alertDeps: AlertDeps | undefined = opts.socketMode
    ? undefined
    : {
        secret: LOCAL_ALERTS_SECRET,
        maxAgentId: gateway.maxAgentId,
        now: Date.now,
        logger,
        publisher: new SlackAlertPublisher({ client: web, store, now: Date.now }),
      };
  let socket: Awaited<ReturnType<typeof startSocketMode>> | undefined;
  if (opts.socketMode) {
    try {
      socket = await (opts.startSocketMode ?? startSocketMode)(opts.socketMode, ackDeps);
    } catch (err) {
      // Nothing runs without the workspace: free the port and stop what started, then say why.
      server.close();
      await sim?.close();
      await db.close();
      throw new SocketModeError(slackErrorCode(err) ?? (err instanceof Error ? err.message : String(err)));
    }
  }
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

  const routes: Routes = {
    url,
    slack,
    deps,
    health: () => ({
      service: 'qc-slack-local',
      mode: opts.socketMode ? 'socket' : 'local',
      pendingJobs: queue.pending,
    }),
    ...(consoleBridge ? { consoleBridge } : {}),
    ...(slackHandler ? { slackHandler } : {}),
    ...(alertDeps ? { alertDeps } : {}),
  };
  server.on('request', (req, res) => {
    route(routes, req, res).catch((err: unknown) => {
      logger.error(
        { error: (err as Error).name, msg: (err as Error).message },
        'local server request failed',
      );
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
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
      stopping = true;
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

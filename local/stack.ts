import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FakeClock,
  type RunningSimulator,
  type Scenario,
  startSimulator,
  type TrafficSettings,
} from '../simulator/index';
import { logLevelConfig } from '../src/config';
import type { GatewayClientOptions } from '../src/gateway/client';
import { createLogger } from '../src/log';
import type { Logger } from '../src/logger';
import { Keeper } from '../src/qc/keeper';
import { DEFAULT_PERMISSIONS, type Permission } from '../src/qc/permissions';
import { InProcessFifoQueue } from '../src/queue/memory';
import { type BuiltAckDeps, buildAckDeps } from '../src/runtime/ack-deps';
import { buildAlertsDeps } from '../src/runtime/alerts-deps';
import type { Overrides } from '../src/runtime/edges';
import { type BuiltWorkerDeps, buildWorkerDeps } from '../src/runtime/worker-deps';
import { createWorkerHandler } from '../src/runtime/worker-handler';
import { createSlackApp } from '../src/slack/app';
import { slackErrorCode } from '../src/slack/web-api-errors';
import type { DynamoStore } from '../src/store/dynamo';
import { type ConsoleBridge, createConsole } from './console/index';
import { type LocalDynamo, startLocalDynamo } from './dynalite';
import {
  createFakeSlack,
  dmChannelId,
  type FakeSlack,
  type FakeUser,
  type RateLimitConfig,
} from './slack-api/index';
import { type SocketModeTokens, startSocketMode } from './socket-mode';
import { LOCAL_ALERTS_SECRET, LOCAL_BOT_TOKEN, LOCAL_SIGNING_SECRET, localConfig } from './stack-config';
import { type LocalHealth, type Routes, route } from './stack-routes';

export { LOCAL_ALERTS_SECRET, LOCAL_BOT_TOKEN, LOCAL_SIGNING_SECRET } from './stack-config';
export type { LocalHealth } from './stack-routes';

export const LOCAL_TEAM = 'T_LOCAL';
export const LOCAL_CHANNEL = 'C_QC';

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
    /** Customer calls that start and end on their own (`npm start -- --traffic`). */
    traffic?: boolean | Partial<TrafficSettings>;
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

export interface LocalStack {
  url: string;
  slack: FakeSlack;
  sim?: RunningSimulator;
  /** The browser console (absent in Socket Mode or with `console: false`). */
  console?: ConsoleBridge;
  db: LocalDynamo;
  store: DynamoStore;
  queue: InProcessFifoQueue;
  deps: BuiltWorkerDeps;
  close(): Promise<void>;
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

/** What stands in for AWS, the gateway and Slack. */
interface Edges {
  url: string;
  sim?: RunningSimulator;
  db: LocalDynamo;
  slack: FakeSlack;
  gateway: GatewayClientOptions;
}

async function startEdges(opts: LocalStackOptions, url: string): Promise<Edges> {
  const sim = opts.gateway ? undefined : await startSimulator(simulatorOptions(opts));
  const gateway: GatewayClientOptions = opts.gateway ?? {
    ...opts.gatewaySettings,
    baseUrl: sim?.url ?? '',
    ...(sim?.caPem ? { caPem: sim.caPem } : {}),
  };
  const db = await startLocalDynamo({ ...(opts.dataDir ? { path: opts.dataDir } : {}) });
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
  return { url, ...(sim ? { sim } : {}), db, slack, gateway };
}

function simulatorOptions(opts: LocalStackOptions): Parameters<typeof startSimulator>[0] {
  const o = opts.simulator;
  return {
    quiet: true,
    ...(o?.pollHoldMs !== undefined ? { pollHoldMs: o.pollHoldMs } : {}),
    ...(o?.fakeClock ? { clock: new FakeClock(Date.now()) } : {}),
    ...(o?.authMode ? { authMode: o.authMode } : {}),
    ...(o?.scenario ? { scenario: o.scenario } : {}),
    ...(o?.profile ? { profile: o.profile } : {}),
    ...(o?.elbCookie ? { elbCookie: true } : {}),
    ...(o?.traffic ? { traffic: o.traffic } : {}),
  };
}

/** The functions, built by the same builders as on Lambda; only the edges differ. */
interface LocalApp {
  deps: BuiltWorkerDeps;
  ackDeps: BuiltAckDeps;
  queue: InProcessFifoQueue;
  slackHandler?: ReturnType<typeof createSlackApp>['handler'];
  alertDeps?: ReturnType<typeof buildAlertsDeps>;
}

function buildApp(opts: LocalStackOptions, edges: Edges, overrides: Overrides): LocalApp {
  const config = localConfig({
    url: edges.url,
    db: edges.db,
    gateway: edges.gateway,
    ...(opts.socketMode ? { socketMode: opts.socketMode } : {}),
    adminUserIds:
      opts.adminUserIds ?? new Set<string>(DEMO_USERS.filter((u) => 'isAdmin' in u).map((u) => u.id)),
    defaultPermissions: opts.defaultPermissions ?? DEFAULT_PERMISSIONS,
    ...(opts.push ? { push: true } : {}),
  });
  const deps = buildWorkerDeps(config.worker, overrides);
  const queue = new InProcessFifoQueue(createWorkerHandler(deps), {
    maxReceives: deps.limits?.maxReceiveCount ?? 3,
  });
  const ackDeps = buildAckDeps(config.ack, { ...overrides, queue });
  // In Socket Mode the app hears Slack over the WebSocket only: its local signing and alerts secrets are
  // public (printed), so no HTTP route takes requests signed with them.
  if (opts.socketMode) return { deps, ackDeps, queue };
  return {
    deps,
    ackDeps,
    queue,
    slackHandler: createSlackApp(config.ack.slack, ackDeps).handler,
    alertDeps: buildAlertsDeps(config.alerts, { ...overrides, queue }),
  };
}

/** Socket Mode, when asked for; if it cannot connect, what started stops and SocketModeError says why. */
async function connectSocketMode(
  opts: LocalStackOptions,
  app: LocalApp,
  stopStarted: () => Promise<void>,
): Promise<{ stop(): Promise<void> } | undefined> {
  if (!opts.socketMode) return undefined;
  try {
    return await (opts.startSocketMode ?? startSocketMode)(opts.socketMode, app.ackDeps);
  } catch (err) {
    // Nothing runs without the workspace: free the port and stop what started, then say why.
    await stopStarted();
    throw new SocketModeError(slackErrorCode(err) ?? (err instanceof Error ? err.message : String(err)));
  }
}

/** The browser console at /console/ (not in Socket Mode, nor with `console: false`). */
function startConsole(opts: LocalStackOptions, edges: Edges): ConsoleBridge | undefined {
  if (opts.socketMode || opts.console === false) return undefined;
  return createConsole({
    url: edges.url,
    slack: edges.slack,
    ...(edges.sim ? { sim: edges.sim.sim } : {}),
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
}

function mountRoutes(server: Server, routes: Routes, logger: Logger): void {
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
}

/** Demo links: the inspectors of the simulator's default scenario (not in a real workspace). */
async function linkDemoUsers(store: DynamoStore): Promise<void> {
  for (const u of DEMO_USERS) {
    if (!('inspectorId' in u)) continue;
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

/** The keeper loop: on Lambda a scheduled ~55 s run every minute; here back to back until `signal`. */
function keeperLoop(
  opts: LocalStackOptions,
  deps: BuiltWorkerDeps,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  return (async () => {
    while (!signal.aborted) {
      const keeper = new Keeper(deps, {
        rescanMs: opts.keeper?.rescanMs ?? 500,
        runMs: opts.keeper?.runMs ?? 55_000,
        leaseMs: opts.keeper?.leaseMs ?? 45_000,
        errorBackoffMs: 200,
      });
      await keeper
        .run(signal)
        .catch((err: unknown) => logger.error({ error: (err as Error).name }, 'keeper run failed'));
    }
  })();
}

/** Everything that runs, in the order it stops. */
interface Running {
  server: Server;
  edges: Edges;
  app: LocalApp;
  consoleBridge: ConsoleBridge | undefined;
  socket: { stop(): Promise<void> } | undefined;
  keeper: Promise<void>;
  abort: AbortController;
}

async function stopStack(r: Running): Promise<void> {
  r.abort.abort();
  r.consoleBridge?.close();
  // Socket Mode's close errors (a socket already gone) change nothing: the stack stops either way.
  await r.socket?.stop().catch(() => {});
  // Let a held long poll come back (it may carry an event) before cutting the connections.
  await Promise.race([r.keeper, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  await r.app.deps.gateway.destroy();
  await r.app.ackDeps.close();
  await r.keeper;
  await r.app.queue.drained();
  await closeServer(r.server);
  await stopEdges(r.edges);
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

async function stopEdges(edges: Edges): Promise<void> {
  await edges.sim?.close();
  await edges.db.close();
}

/**
 * The whole product in one process: the same handlers as on Lambda behind one HTTP server with
 * API Gateway's routes, dynalite, an in-process FIFO queue, the keeper loop, the CC-Gateway
 * simulator, and a local Slack Web API standing in for Slack.
 */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const logger = opts.logger ?? createLogger(logLevelConfig(process.env, 'warn'));
  const { server, url } = await listen(opts.port ?? 0);
  const edges = await startEdges(opts, url);
  let stopping = false;
  const gatewayLogger = quietWhenStopping(logger, () => stopping);
  const app = buildApp(opts, edges, { dynamo: edges.db.client, logger, gatewayLogger });
  const socket = await connectSocketMode(opts, app, async () => {
    server.close();
    await stopEdges(edges);
  });
  const consoleBridge = startConsole(opts, edges);
  mountRoutes(server, routesOf(opts, edges, app, consoleBridge), logger);
  if (!opts.socketMode) await linkDemoUsers(app.deps.store);
  const abort = new AbortController();
  const running: Running = {
    server,
    edges,
    app,
    consoleBridge,
    socket,
    keeper: keeperLoop(opts, app.deps, logger, abort.signal),
    abort,
  };
  return {
    url,
    slack: edges.slack,
    ...(edges.sim ? { sim: edges.sim } : {}),
    ...(consoleBridge ? { console: consoleBridge } : {}),
    db: edges.db,
    store: app.deps.store,
    queue: app.queue,
    deps: app.deps,
    close: () => {
      stopping = true;
      return stopStack(running);
    },
  };
}

function routesOf(
  opts: LocalStackOptions,
  edges: Edges,
  app: LocalApp,
  consoleBridge: ConsoleBridge | undefined,
): Routes {
  return {
    url: edges.url,
    slack: edges.slack,
    deps: app.deps,
    health: (): LocalHealth => ({
      service: 'qc-slack-local',
      mode: opts.socketMode ? 'socket' : 'local',
      pendingJobs: app.queue.pending,
    }),
    ...(consoleBridge ? { consoleBridge } : {}),
    ...(app.slackHandler ? { slackHandler: app.slackHandler } : {}),
    ...(app.alertDeps ? { alertDeps: app.alertDeps } : {}),
  };
}

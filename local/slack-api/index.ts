/**
 * An in-repo fake of Slack: the Web API methods qc-slack uses, response_url endpoints, and a message store
 * tests can wait on. One implementation for the end-to-end tests, the local stack (`npm start`) and the CLI
 * (`npm run slack`). See docs/local-slack.md.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newTriggerId } from '../slack-sign';
import {
  applyViewAck,
  type CommandAckInput,
  closeView,
  recordCommandAck,
  type ViewAckInput,
  type ViewAckResult,
} from './acks';
import { type RateLimitConfig, RateLimiter, rateLimitConfig } from './rate-limits';
import { createResponseUrl, type ResponseUrlContext } from './response-url';
import { handleRequest, type ServerHooks } from './server';
import { createSocketModeServer, type SocketModeServer } from './socket-mode';
import type { ChannelInfo, FakeChannel, FakeState, FakeUser } from './state';
import { SlackStore, type StoredMessage, type StoredView } from './store';
import { type DeadlineOption, deadlineMs, type LateAck, noteAck } from './triggers';

export interface FakeSlackOptions {
  /** Requests must carry `Authorization: Bearer <botToken>` (or a `token` form field), else `invalid_auth`. */
  botToken: string;
  /** Default 'U_QCBOT'. */
  botUserId?: string;
  /** Default 'B_QCBOT'. */
  botId?: string;
  /** The bot's display name in rendered output and auth.test. Default 'qc-slack'. */
  botName?: string;
  /** Default 'A_QCSLACK'. */
  appId?: string;
  /** Default 'T_LOCAL'. */
  teamId?: string;
  /** Default [{ id: 'U_DEMO', name: 'demo', realName: 'Demo Supervisor' }]. Unknown users → `user_not_found`. */
  users?: FakeUser[];
  /** Default [{ id: 'C_QC', name: 'qc' }]. Unknown channel ids → `channel_not_found`. */
  channels?: FakeChannel[];
  /** Base for response_url links, e.g. 'http://127.0.0.1:3000' (set after listen; see setPublicBaseUrl). */
  publicBaseUrl?: string;
  /** Mount point: handle() answers `{pathPrefix}/api/…` etc. Default '' (the root). */
  pathPrefix?: string;
  clock?: () => number;
  /** Socket Mode: `apps.connections.open` answers this app-level token (startFakeSlack only). */
  appToken?: string;
  /** Keep Slack's 3 s (triggers.ts): trigger_ids expire, late acks are flagged. `true`: 3 s; a number: ms. Default off. */
  deadlines?: DeadlineOption;
  /**
   * Slack's rate limits (rate-limits.ts): `true` for Slack's figures, or other figures; off by default
   * (unit tests). The local stack, the bench and the rate-limit tests turn them on.
   */
  rateLimits?: boolean | Partial<RateLimitConfig>;
}

export interface FakeSlack {
  /** Handles `POST {prefix}/api/<method>`, `POST {prefix}/response/<id>`, `POST {prefix}/upload/<token>`, `{prefix}/_local/...`. Returns false if the path is not its own. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  store: SlackStore;
  /** A fresh response_url (5 uses, 30 min). */
  newResponseUrl(ctx: ResponseUrlContext): string;
  /** A fresh trigger_id that views.open will attribute to `ctx.user` (one use). */
  newTriggerId(ctx: { user: string; channel?: string }): string;
  /** Fault injection: the next `count` (default 1) calls of `method` (or 'response_url', 'file_upload') fail with `error` or a 429. */
  failNext(method: string, error: string | { status: 429; retryAfter: number }, count?: number): void;
  setPublicBaseUrl(url: string): void;
  /**
   * A slash command's ack as Slack shows it: the body becomes a message ephemeral to the user (or in the
   * channel with `response_type: 'in_channel'`); a non-200 answer becomes Slackbot's "failed" notice.
   * Returns the stored message, or undefined for an empty ack (Slack shows nothing).
   */
  recordCommandAck(ack: CommandAckInput): StoredMessage | undefined;
  /** A view_submission's answer applied to the modals as Slack does (close, errors, update, push, clear). */
  applyViewAck(ack: ViewAckInput): ViewAckResult;
  /** The person closed a modal (its close button or Esc). Undefined for an unknown view id. */
  closeView(viewId: string): StoredView | undefined;
  /** Turns Slack's deadlines on (`true`: 3 s; a number: ms) or off (triggers.ts). */
  setDeadlines(option: DeadlineOption): void;
  /**
   * The app answered the request that carried `triggerId` (now): a LateAck (also kept in `lateAcks()`)
   * if deadlines are on and the answer came after them, where Slack would show `operation_timeout`.
   */
  noteAck(triggerId: string, what: string): LateAck | undefined;
  /** Every late ack noted so far. */
  lateAcks(): readonly LateAck[];
  /** Channel id → name ('qc'), or the id itself when unknown. */
  channelName(id: string): string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  /** The rate limiter when limits are on (its 429 counts), else undefined. */
  readonly rateLimiter: RateLimiter | undefined;
}

export const DEFAULT_USERS: FakeUser[] = [{ id: 'U_DEMO', name: 'demo', realName: 'Demo Supervisor' }];
export const DEFAULT_CHANNELS: FakeChannel[] = [{ id: 'C_QC', name: 'qc' }];

export function createFakeSlack(opts: FakeSlackOptions): FakeSlack {
  if (!opts.botToken) throw new Error('createFakeSlack: botToken is required');
  const store = new SlackStore(opts.clock ?? Date.now);
  const channels = new Map<string, ChannelInfo>();
  for (const c of opts.channels ?? DEFAULT_CHANNELS) {
    channels.set(c.id, {
      id: c.id,
      name: c.name,
      botIsMember: c.botIsMember ?? true,
      isIm: false,
      ...(c.members ? { members: [...c.members] } : {}),
    });
  }
  const state: FakeState = {
    opts: {
      botToken: opts.botToken,
      botUserId: opts.botUserId ?? 'U_QCBOT',
      botId: opts.botId ?? 'B_QCBOT',
      botName: opts.botName ?? 'qc-slack',
      appId: opts.appId ?? 'A_QCSLACK',
      teamId: opts.teamId ?? 'T_LOCAL',
      teamDomain: 'local',
      pathPrefix: (opts.pathPrefix ?? '').replace(/\/+$/, ''),
    },
    store,
    users: new Map((opts.users ?? DEFAULT_USERS).map((u) => [u.id, u])),
    channels,
    triggers: new Map(),
    usedTriggers: new Set(),
    deadlines: { ms: deadlineMs(opts.deadlines), lateAcks: [] },
    responseUrls: new Map(),
    faults: new Map(),
    uploads: new Map(),
    uploadTokens: new Map(),
    publicBaseUrl: opts.publicBaseUrl?.replace(/\/+$/, ''),
    seq: 0,
  };
  const limits = rateLimitConfig(opts.rateLimits);
  if (limits) state.limiter = new RateLimiter(limits, store.clock);

  const hooks: ServerHooks = {
    newResponseUrl(ctx, baseUrl) {
      const base = state.publicBaseUrl ?? baseUrl;
      if (!base) {
        throw new Error(
          'fake Slack: publicBaseUrl is not set (pass it to createFakeSlack or call setPublicBaseUrl after listen)',
        );
      }
      return `${base}${state.opts.pathPrefix}/response/${createResponseUrl(state, ctx)}`;
    },
    newTriggerId(ctx) {
      const id = newTriggerId();
      const info: { user: string; channel?: string; issuedAt: number } = {
        user: ctx.user,
        issuedAt: store.clock(),
      };
      if (ctx.channel) info.channel = ctx.channel;
      state.triggers.set(id, info);
      return id;
    },
  };

  return {
    handle: (req, res) => handleRequest(state, hooks, req, res),
    store,
    newResponseUrl: (ctx) => hooks.newResponseUrl(ctx),
    newTriggerId: (ctx) => hooks.newTriggerId(ctx),
    failNext(method, error, count = 1) {
      const queue = state.faults.get(method) ?? [];
      queue.push(typeof error === 'string' ? { error, remaining: count } : { ...error, remaining: count });
      state.faults.set(method, queue);
    },
    setPublicBaseUrl(url) {
      state.publicBaseUrl = url.replace(/\/+$/, '');
    },
    recordCommandAck: (ack) => recordCommandAck(state, ack),
    applyViewAck: (ack) => applyViewAck(state, ack),
    closeView: (viewId) => closeView(state, viewId),
    setDeadlines(option) {
      state.deadlines.ms = deadlineMs(option);
    },
    noteAck: (triggerId, what) => noteAck(state, triggerId, what),
    lateAcks: () => [...state.deadlines.lateAcks],
    channelName: (id) => channels.get(id)?.name ?? id,
    teamId: state.opts.teamId,
    botUserId: state.opts.botUserId,
    botId: state.opts.botId,
    rateLimiter: state.limiter,
  };
}

export type StartedFakeSlack = FakeSlack & {
  /** 'http://127.0.0.1:<port>' (plus the path prefix, if any). */
  url: string;
  /** WebClient's `slackApiUrl`: ends with '/api/'. */
  apiUrl: string;
  /** With `appToken`: the Socket Mode side (deliver envelopes to the app, refresh its connection). */
  socketMode?: SocketModeServer;
  close(): Promise<void>;
};

/** Standalone server for tests: listens on 127.0.0.1:0 and answers 404 for paths that are not the fake's. */
export async function startFakeSlack(opts: FakeSlackOptions): Promise<StartedFakeSlack> {
  const fake = createFakeSlack(opts);
  let origin = '';
  const socketMode = opts.appToken
    ? createSocketModeServer({
        appToken: opts.appToken,
        baseUrl: () => origin,
        ...(opts.pathPrefix ? { pathPrefix: opts.pathPrefix } : {}),
        ...(opts.appId ? { appId: opts.appId } : {}),
      })
    : undefined;
  const server = createServer((req, res) => {
    const handled = socketMode ? socketMode.handle(req, res) : Promise.resolve(false);
    handled
      .then((done) => (done ? true : fake.handle(req, res)))
      .then(
        (handled) => {
          if (!handled) {
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('not_found');
          }
        },
        (err: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const prefix = (opts.pathPrefix ?? '').replace(/\/+$/, '');
  origin = `http://127.0.0.1:${port}`;
  if (socketMode) server.on('upgrade', socketMode.upgrade);
  if (!opts.publicBaseUrl) fake.setPublicBaseUrl(origin);
  return Object.assign(fake, {
    url: `${origin}${prefix}`,
    apiUrl: `${origin}${prefix}/api/`,
    ...(socketMode ? { socketMode } : {}),
    close: async () => {
      await socketMode?.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  });
}

export type { CommandAckInput, ViewAckInput, ViewAckResult } from './acks';
export { commandAckFailure, SLACKBOT, viewAckFailure } from './acks';
export { dmChannelId, TRIGGER_ID_RE } from './methods';
export type { Rate, RateLimitConfig } from './rate-limits';
export { SLACK_RATE_LIMITS } from './rate-limits';
export {
  mrkdwnToPlain,
  renderBlock,
  renderBlocks,
  renderElement,
  renderMessage,
  renderView,
  textOf,
} from './render';
export type { ResponseUrlContext } from './response-url';
export type { EnvelopeAck, EnvelopeType, SocketModeServer } from './socket-mode';
export type { FakeChannel, FakeUser } from './state';
export {
  type Block,
  type ChannelMessagesOptions,
  describeMessage,
  type FileRef,
  type MessageVersion,
  SlackStore,
  type StoreChange,
  type StoredCall,
  type StoredFile,
  type StoredMessage,
  type StoredView,
  type StorePick,
} from './store';
export { type DeadlineOption, type LateAck, SLACK_DEADLINE_MS } from './triggers';

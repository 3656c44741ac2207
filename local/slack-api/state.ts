import type { RateLimiter } from './rate-limits';
import type { SlackStore } from './store';
import type { DeadlineState } from './triggers';

export interface FakeUser {
  id: string;
  name: string;
  realName?: string;
  isAdmin?: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  /** Default true. When false, chat.postMessage answers `not_in_channel`. */
  botIsMember?: boolean;
  /** The people in the channel. Default: everyone. chat.postEphemeral to anyone else: `user_not_in_channel`. */
  members?: string[];
}

export interface ChannelInfo {
  id: string;
  name: string;
  botIsMember: boolean;
  /** Set on DM channels opened with conversations.open (or by posting to a user id). */
  isIm: boolean;
  /** The other member of a DM. */
  user?: string;
  /** The people in the channel; undefined: everyone (see FakeChannel.members). */
  members?: string[];
}

export interface TriggerInfo {
  user?: string;
  channel?: string;
  issuedAt: number;
}

export interface ResponseUrlState {
  id: string;
  channel: string;
  user: string;
  /** The message the interaction came from (block_actions), which `replace_original` edits first. */
  messageTs?: string;
  createdAt: number;
  uses: number;
  /** The last message posted through this URL: what `replace_original` / `delete_original` act on. */
  lastTs?: string;
}

/** A file between files.getUploadURLExternal and files.completeUploadExternal. */
export interface PendingUpload {
  id: string;
  /** The opaque last segment of its upload_url. */
  token: string;
  filename: string;
  /** Bytes announced to files.getUploadURLExternal; the upload must match. */
  length: number;
  altText?: string;
  snippetType?: string;
  createdAt: number;
  /** Set once the bytes were posted to the upload_url. */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal (which works once per file). */
  completedAt?: number;
}

export type Fault =
  | { error: string; remaining: number }
  | { status: 429; retryAfter: number; remaining: number };

export interface ResolvedOptions {
  botToken: string;
  botUserId: string;
  botId: string;
  botName: string;
  appId: string;
  teamId: string;
  teamDomain: string;
  pathPrefix: string;
}

/** Everything the fake's methods work on. */
export interface FakeState {
  opts: ResolvedOptions;
  /** Slack's rate limits (rate-limits.ts); undefined when off. */
  limiter?: RateLimiter;
  store: SlackStore;
  users: Map<string, FakeUser>;
  channels: Map<string, ChannelInfo>;
  /** trigger_ids this fake issued (for /_local/response-url) → who they belong to. */
  triggers: Map<string, TriggerInfo>;
  /** trigger_ids already consumed by views.open / views.push. */
  usedTriggers: Set<string>;
  /** Slack's 3 s for trigger_ids and acks, when kept (triggers.ts). */
  deadlines: DeadlineState;
  responseUrls: Map<string, ResponseUrlState>;
  faults: Map<string, Fault[]>;
  /** Uploads by file id (`F…`), and file ids by upload_url token. */
  uploads: Map<string, PendingUpload>;
  uploadTokens: Map<string, string>;
  publicBaseUrl: string | undefined;
  seq: number;
}

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

/** Takes the next injected fault for `method`, if any. */
export function takeFault(state: FakeState, method: string): Fault | undefined {
  const queue = state.faults.get(method);
  const fault = queue?.[0];
  if (!queue || !fault) return undefined;
  fault.remaining -= 1;
  if (fault.remaining <= 0) queue.shift();
  if (queue.length === 0) state.faults.delete(method);
  return fault;
}

/** A short unique id with a prefix, Slack style: `V0000001A`. */
export function nextId(state: FakeState, prefix: string): string {
  state.seq += 1;
  return `${prefix}${state.seq.toString(36).toUpperCase().padStart(8, '0')}`;
}

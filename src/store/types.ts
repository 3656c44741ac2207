/**
 * The persistence layer's records and interfaces. `qc/` and the handlers depend on these
 * interfaces only; `dynamo.ts` implements them on one DynamoDB table (dynalite locally).
 * Every write that two functions can race on (worker vs keeper) is conditional on a version
 * or an owner, so no update is lost; there are no transactions (dynalite lacks them).
 */
import type { FloorScope } from '../qc/floor';
import type { MonitorMode, SlackContext } from '../qc/model';

export interface InspectorLink {
  teamId: string;
  userId: string;
  inspectorId: string;
  /** The soft-phone an admin set: the one sign-in uses unless the inspector picks another allowed one. */
  phone?: string;
  /** More numbers an admin allowed for this inspector (`/qc link @u 1001 70001,70009`); never typed in. */
  allowedPhones?: string[];
  displayName?: string;
  linkedBy: string;
  linkedAt: number;
  /** QC permissions granted by an admin (`/qc allow`); absent = the configured default set. */
  permissions?: string[];
}

export type EventMode = 'poll' | 'push';

export interface SessionRecord {
  inspectorId: string;
  /** A new id per sign-in: a keeper holding an old generation can never write over a new one. */
  sessionId: string;
  teamId: string;
  userId: string;
  /** The gateway Guid: a bearer credential. Never logged, never shown. */
  guid: string;
  mode: EventMode;
  /** The soft-phone number the gateway calls for this session (one the link allowed). */
  phone?: string;
  /** Push mode: our random per-session token the gateway sends back in `service_token`. */
  serviceToken?: string;
  status: 'active' | 'ended';
  endedReason?: string;
  endedAt?: number;
  signedInAt: number;
  guidUpdatedAt: number;
  /** Bumped on every Guid/status change; conditional writes compare it. */
  version: number;
  leaseOwner?: string;
  leaseUntil?: number;
  /** Load-balancer cookies (`name=value; …`) the gateway set, sent back on every request (CCGW_STICKY_COOKIES). */
  cookie?: string;
  /** Events taken from the gateway so far in this session (thread-reply idempotency key). */
  eventSeq: number;
}

/** A result message in a channel: follow-up events of its operation are replied in its thread. */
export interface ThreadRef {
  channel: string;
  ts: string;
}

/**
 * A recent QC operation of an inspector and where its events go. An event goes to the oldest
 * operation still expecting its type, else to the newest operation (docs/architecture.md).
 */
export interface OperationThread {
  /** The operation (listen, intercept…), and when its result was posted: together its identity. */
  op: string;
  at: number;
  /** Its result message; absent = the result was shown to the requester alone: events go to the DM. */
  thread?: ThreadRef;
  /** The agent and the mode the operation set (for lines like "you are listening to 2005"). */
  agentId?: string;
  mode?: MonitorMode;
  /** Event types this operation causes and has not received yet. */
  expects: string[];
  /** The folded reply currently being edited in its thread, and when it was last touched. */
  reply?: { ts: string; lines: string[]; at: number };
}

export interface MonitoringRecord {
  inspectorId: string;
  teamId: string;
  /** Absent when the inspector is monitoring nobody (the thread is kept for the last events). */
  agentId?: string;
  mode?: MonitorMode;
  since?: number;
  /** True once the inspector's events confirmed the state (phone answered, Talking…). */
  confirmed: boolean;
  /** AgentState_Busy seen since the operation: a Ready before it is stale (queued earlier). */
  busySeen?: boolean;
  /** Recent operations, oldest first; the last one is the current operation (its thread). */
  ops?: OperationThread[];
  /** The last event sequence applied (per session): a retried flush never doubles a line. */
  eventsUpTo?: { sessionId: string; seq: number };
  /** Set while a QC result is being posted: the keeper holds events until the thread exists. */
  awaitingThreadSince?: number;
  /** A one-click take-over waiting for the inspector's phone (src/qc/takeover*.ts); absent when none. */
  takeover?: PendingTakeover;
  version: number;
}

/**
 * A take-over after its listen: the keeper intercepts once the phone is answered, or stops listening
 * at `deadline`. `claimedAt` is set (versioned write) by the one keeper that runs the next step.
 */
export interface PendingTakeover {
  /** The take-over request's id. */
  id: string;
  agentId: string;
  /** The session the listen was made in: another session's keeper never acts on it. */
  sessionId: string;
  deadline: number;
  /** How long the phone was given (for the words "within 30 s"). */
  waitMs: number;
  alertId?: string;
  /** The request's Slack context (without its ack note: that was answered by the first message). */
  slack: SlackContext;
  /** The "Taking over…" message: the events and the result go in its thread. */
  thread?: ThreadRef;
  claimedAt?: number;
}

export type IdempotencyState =
  | { state: 'new' }
  | { state: 'in-progress'; startedAt: number }
  | { state: 'done'; result: Record<string, unknown> };

export interface AuditEntry {
  teamId: string;
  userId: string;
  inspectorId?: string;
  agentId?: string;
  operation: string;
  /** Gateway retcode, or our own outcome word ("refused", "timeout", …). */
  outcome: string;
  latencyMs?: number;
  /** The Slack message this belongs to (channel + ts), when there is one. */
  channel?: string;
  messageTs?: string;
  at: number;
  detail?: string;
}

export interface PendingEvent {
  inspectorId: string;
  sessionId: string;
  seq: number;
  event: { type: string; workNo: string; genTime?: number; content: unknown };
  receivedAt: number;
  /** Stored with other events of a push in one item (first and last seq of that item). */
  pack?: { first: number; last: number };
}

export class ConflictError extends Error {
  constructor(what: string) {
    super(`${what} was changed by someone else`);
    this.name = 'ConflictError';
  }
}

/** The kinds of record on the table (what a StoreError names instead of a key or a value). */
export type StoreRecord =
  | 'link'
  | 'session'
  | 'gateway-facts'
  | 'monitoring'
  | 'idempotency'
  | 'audit'
  | 'event'
  | 'turn'
  | 'alert'
  | 'floor'
  | 'kept-post';

/** An identifier-like word of a failure (an AWS error name, a network code): never a value of the item. */
function failureCode(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const { code, name } = cause as { code?: unknown; name?: unknown };
  const word = typeof code === 'string' ? code : name !== 'Error' ? name : undefined;
  return typeof word === 'string' && /^[A-Za-z][\w.-]{0,63}$/.test(word) ? word : undefined;
}

/**
 * A DynamoDB request that failed for another reason than its condition (network, throttling, a missing
 * table…). Its message names the operation, the record kind and the failure's code, never an item's
 * values (a Guid, a cookie); the DynamoDB error is its `cause` (for retry decisions, not for logs).
 */
export class StoreError extends Error {
  /** The failure's code (`ThrottlingException`, `ECONNREFUSED`…), when it has one. */
  readonly code: string | undefined;

  constructor(
    /** The DynamoDB operation: GetItem, PutItem, UpdateItem, DeleteItem, Query, BatchWriteItem. */
    readonly operation: string,
    readonly record: StoreRecord,
    cause: unknown,
  ) {
    const code = failureCode(cause);
    super(`DynamoDB ${operation} of a ${record} record failed${code ? ` (${code})` : ''}`, { cause });
    this.name = 'StoreError';
    this.code = code;
  }
}

export interface LinkStore {
  getLink(teamId: string, userId: string): Promise<InspectorLink | undefined>;
  /** Replace a linked user's permissions; undefined when the user is not linked. */
  setPermissions(teamId: string, userId: string, permissions: string[]): Promise<InspectorLink | undefined>;
  /** Fails with ConflictError when the inspector ID is linked to another Slack user of the team. */
  putLink(link: InspectorLink): Promise<void>;
  deleteLink(teamId: string, userId: string): Promise<InspectorLink | undefined>;
}

export interface SessionStore {
  getSession(inspectorId: string): Promise<SessionRecord | undefined>;
  /** A new sign-in: replaces whatever was there (new sessionId, version bumped). */
  startSession(rec: Omit<SessionRecord, 'version' | 'status' | 'eventSeq'>): Promise<SessionRecord>;
  /** Store a rotated Guid; ConflictError when the session changed meanwhile. Returns the new version. */
  updateGuid(
    inspectorId: string,
    sessionId: string,
    expectedVersion: number,
    guid: string,
    at: number,
  ): Promise<number>;
  /**
   * Store the load-balancer cookies the gateway set (`Set-Cookie`), so every function sends the same
   * ones. No version bump: cookies never race a Guid rotation. False when the session ended or changed.
   */
  updateCookie(inspectorId: string, sessionId: string, cookie: string): Promise<boolean>;
  /** End a session (idempotent). Returns false when it was already ended or replaced. */
  endSession(inspectorId: string, sessionId: string, reason: string, at: number): Promise<boolean>;
  /** All active sessions (the keeper shards them by inspector ID). */
  listActiveSessions(): Promise<SessionRecord[]>;
  /** Take or renew the poll lease; false when another owner holds an unexpired lease. */
  acquireLease(
    inspectorId: string,
    sessionId: string,
    owner: string,
    now: number,
    leaseMs: number,
  ): Promise<boolean>;
  releaseLease(inspectorId: string, owner: string): Promise<void>;
  /** Reserve the next event sequence number (only the lease owner may; push deliveries pass no owner). */
  nextEventSeq(inspectorId: string, sessionId: string, owner?: string): Promise<number>;
}

export interface MonitoringStore {
  getMonitoring(inspectorId: string): Promise<MonitoringRecord | undefined>;
  /** Write with a version check (expectedVersion 0 = must not exist). Returns the new version. */
  putMonitoring(rec: Omit<MonitoringRecord, 'version'>, expectedVersion: number): Promise<number>;
  /** Every inspector of a team who is monitoring someone now (optionally one agent). */
  listMonitoring(teamId: string, agentId?: string): Promise<MonitoringRecord[]>;
}

export interface IdempotencyStore {
  /** Claim a key. 'new' means the caller owns it and must call finish(). */
  claim(key: string, now: number, ttlSeconds: number): Promise<IdempotencyState>;
  finish(key: string, result: Record<string, unknown>): Promise<void>;
  /** Give an in-progress claim back (the work failed before any effect; a retry may take it). */
  release(key: string): Promise<void>;
  /**
   * Take over an in-progress claim that was started at `startedAt` (a worker that died left it):
   * true for exactly one caller, false when another caller took it or it was finished meanwhile.
   */
  takeOver(key: string, startedAt: number, now: number): Promise<boolean>;
}

export interface AuditStore {
  record(entry: AuditEntry): Promise<void>;
  listDay(teamId: string, day: string): Promise<AuditEntry[]>;
  /** Rows of several UTC days (yyyy-mm-dd), queried in parallel, newest first (by `at`). */
  listDays(teamId: string, days: string[]): Promise<AuditEntry[]>;
}

export type EventTurn = 'flush' | 'store';

export interface EventStore {
  /** Keep an event until its thread reply is posted. Idempotent on (inspector, session, seq). */
  savePending(ev: PendingEvent): Promise<void>;
  /** Keep many events (a push delivery) in few items; idempotent on (inspector, session, seq). */
  savePendingMany(events: PendingEvent[]): Promise<void>;
  /** Pending events of a session, in sequence order. */
  listPending(inspectorId: string, sessionId: string): Promise<PendingEvent[]>;
  markPosted(inspectorId: string, sessionId: string, seq: number): Promise<void>;
  /** Events (as listed) whose replies are posted; an item of several goes with its last event. */
  markPostedMany(events: PendingEvent[]): Promise<void>;
  /** Reserve `count` event sequence numbers at once (push deliveries); returns the first. */
  reserveEventSeqs(inspectorId: string, sessionId: string, count: number): Promise<number>;
  /** Keys of pushed events received until now (deduplication of the gateway's retries). */
  recentPushed(inspectorId: string, now: number): Promise<Set<string>>;
  /** Note pushed events' keys as received, until `until`. */
  notePushed(inspectorId: string, keys: string[], until: number): Promise<void>;
  /**
   * One at a time per inspector: 'flush' = turning pending events into replies (the keeper, a push
   * delivery); 'store' = storing a push delivery (so two deliveries keep the events in order).
   * False while another owner holds an unexpired turn.
   */
  claimTurn(inspectorId: string, turn: EventTurn, owner: string, now: number, ms: number): Promise<boolean>;
  releaseTurn(inspectorId: string, turn: EventTurn, owner: string): Promise<void>;
}

export type AlertSeverity = 'info' | 'warning' | 'critical';

/** A monitoring alert posted in Slack, and who acted on it (kept current in the message). */
export interface AlertRecord {
  /** Random, unguessable: buttons carry it. */
  alertId: string;
  channel: string;
  /** The alert message; follow-up events of clicks go to its thread. */
  ts: string;
  agentId: string;
  reason: string;
  severity: AlertSeverity;
  callId?: string;
  customer?: string;
  details?: string;
  createdAt: number;
  /** Slack user → what they are doing on this alert's agent. */
  participants: Record<string, { inspectorId: string; mode: MonitorMode; since: number }>;
  interceptedBy?: { userId: string; inspectorId: string; at: number };
  /** The last operation's result, shown in the message. */
  last?: { userId: string; op: string; retcode: string; ok: boolean; at: number };
  /** The message could not be updated any more (deleted). */
  messageGone?: boolean;
  version: number;
}

export interface AlertStore {
  /** Create; ConflictError when the id exists. */
  putAlert(rec: Omit<AlertRecord, 'version'>): Promise<void>;
  getAlert(alertId: string): Promise<AlertRecord | undefined>;
  /** Versioned write (ConflictError when someone wrote meanwhile). */
  saveAlert(rec: AlertRecord): Promise<AlertRecord>;
}

/**
 * An open floor: a message (the opener's DM, or a channel with `share`) or a Home tab that shows the
 * agents of a VDN or skill live. The opener's gateway session keeps it live (`beginmonitor` on its agents,
 * their `QC_AgentState_Notify` events fold into it) until `openedAt + FLOOR_LIVE_MS`; then it pauses and
 * offers Refresh, which opens it again.
 */
export interface FloorRecord {
  teamId: string;
  /** `${channel}:${ts}` of a floor message, or `home:${userId}` for a Home tab. */
  floorId: string;
  /** Who opened it (for Home: whose Home it is). */
  userId: string;
  /** Whose gateway session keeps it live. */
  inspectorId: string;
  /** A floor message's channel and ts (absent for Home). */
  channel?: string;
  ts?: string;
  scope: FloorScope;
  /** 0-based page shown. */
  page: number;
  /** When it was opened or last refreshed: live for FLOOR_LIVE_MS from then. */
  openedAt: number;
  /** Set once it stopped being live (the keeper drew it paused and ended its beginmonitor). */
  pausedAt?: number;
  version: number;
}

export interface FloorStore {
  /** Create, or open again (Refresh): the record is replaced and its version moves on. */
  putFloor(rec: Omit<FloorRecord, 'version'>): Promise<FloorRecord>;
  getFloor(teamId: string, floorId: string): Promise<FloorRecord | undefined>;
  /** The floors an inspector's session keeps (live and paused), for the keeper. */
  listFloors(inspectorId: string): Promise<FloorRecord[]>;
  /** Versioned change; false when the record changed or went meanwhile (nothing written). */
  updateFloor(
    rec: FloorRecord,
    change: Partial<Pick<FloorRecord, 'page' | 'openedAt'>> & { pausedAt?: number | null },
  ): Promise<boolean>;
  deleteFloor(teamId: string, floorId: string): Promise<void>;
}

/**
 * What qc-slack learned about the gateway (one gateway per deployment): a fallback name → when it was
 * first needed. `no-handshake`: the gateway answered 404 to `handshake` (the 2018 route table), so
 * push-mode sessions are kept alive by polling.
 */
export type GatewayFallback = 'no-handshake';

export interface GatewayFactsStore {
  noteGatewayFallback(fallback: GatewayFallback, at: number): Promise<void>;
  getGatewayFallbacks(): Promise<Partial<Record<GatewayFallback, number>>>;
}

export interface Store
  extends LinkStore,
    GatewayFactsStore,
    SessionStore,
    MonitoringStore,
    IdempotencyStore,
    AuditStore,
    EventStore {
  readonly alerts: AlertStore;
  readonly floors: FloorStore;
}

/** A channel message Slack has not taken yet (rate limited past the worker's time): posted later, in order. */
export interface KeptPost {
  id: string;
  /** When it was kept (the order of posting). */
  at: number;
  channel: string;
  threadTs?: string;
  text: string;
  blocks?: unknown[];
}

/** Kept channel messages (src/store/dynamo-posts.ts). */
export interface KeptPosts {
  keep(post: KeptPost): Promise<void>;
  /** The oldest first. */
  list(limit: number): Promise<KeptPost[]>;
  remove(post: KeptPost): Promise<void>;
}

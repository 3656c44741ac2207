import type {
  AllAgentMonitorsData,
  AllAgentStatusData,
  GatewayEvent,
  GatewayOutcome,
  GatewaySession,
  Secret,
  SignInData,
  SignInOptions,
  SimpleQcOperation,
  SwitchTarget,
} from '../gateway';
import type { Logger } from '../logger';
import type {
  AlertRecord,
  AuditEntry,
  InspectorLink,
  MonitoringRecord,
  SessionRecord,
  Store,
  ThreadRef,
} from '../store/types';
import type { FloorView } from './floor';
import type { MonitorMode, SlackContext } from './model';
import type { FloorProblem, Notice } from './notice';
import type { QcOutcome } from './outcome';
import type { Permission } from './permissions';

export type { Notice } from './notice';

/** A Slack user monitoring an agent now (from the monitoring index and their live session). */
export interface AgentMonitor {
  userId: string;
  mode: MonitorMode;
  since?: number;
}

/**
 * The App Home tab's Floor section: the floor, or why it is not shown (not signed in, not allowed to
 * monitor, the gateway read failed).
 */
export type HomeFloor =
  | { kind: 'shown'; view: FloorView }
  | { kind: 'sign-in' }
  | { kind: 'not-allowed' }
  | { kind: 'unread'; problem: FloorProblem };

/** What the App Home tab shows one user. */
export interface HomeView {
  userId: string;
  link?: InspectorLink;
  session?: SessionRecord;
  monitoring?: MonitoringRecord;
  permissions: Permission[];
  recent: AuditEntry[];
  now: number;
  /** The Floor section (absent: none, e.g. not linked). */
  floor?: HomeFloor;
}

/** How qc/ talks to people. Implemented on Slack's Web API in slack/notifier.ts. */
export interface Notifier {
  /**
   * Tell the requester what happened to a QC request. Results go to the channel (the thread to
   * follow is returned); refusals are ephemeral (null). When the channel is out of reach the
   * result goes to response_url with a hint to invite the bot, and null is returned.
   */
  report(ctx: SlackContext, outcome: QcOutcome, opts?: { thread?: ThreadRef }): Promise<ThreadRef | null>;
  /**
   * Re-render a monitoring alert's message from its record and who monitors its agent now (however
   * they started); 'gone' when the message was deleted.
   */
  updateAlert(alert: AlertRecord, monitors?: AgentMonitor[]): Promise<'updated' | 'gone'>;
  /**
   * Post a floor message in the requester's DM (`'dm'`) or in the request's channel (`'channel'`).
   * Returns where it landed, with a permalink when Slack gives one.
   */
  postFloor(
    ctx: SlackContext,
    where: 'dm' | 'channel',
    view: FloorView,
  ): Promise<{ channel: string; ts: string; permalink?: string }>;
  /**
   * Redraw a floor message in place ('gone' when it was deleted). Paced like every Tier 3 call;
   * `deadline` bounds the wait for Slack's limit (then SlackBusyError, with Retry-After when Slack gave one).
   */
  updateFloor(
    at: { channel: string; ts: string },
    view: FloorView,
    deadline?: number,
  ): Promise<'updated' | 'gone'>;
  /** Publish the App Home tab. */
  publishHome(teamId: string, view: HomeView): Promise<void>;
  /** An ephemeral answer to the requester. */
  tell(ctx: SlackContext, notice: Notice): Promise<void>;
  /** Send a file (e.g. the audit CSV) to the requester's DM with the app. */
  sendFile(
    ctx: SlackContext,
    file: { filename: string; title: string; content: string; comment: string },
  ): Promise<void>;
  /** A direct message to a Slack user (session ended while nobody was asking). */
  dm(teamId: string, userId: string, notice: Notice): Promise<void>;
  /**
   * Post or edit the folded thread reply: `lines` is the whole reply; `replyTs` edits it in place.
   * Without a thread the lines go to the inspector's DM. Returns the reply's ts.
   */
  threadReply(
    target: { thread?: ThreadRef; teamId: string; userId: string },
    lines: string[],
    replyTs?: string,
  ): Promise<string>;
  /**
   * Post the channel messages Slack could not take in time (rate limited), oldest first, until
   * `deadline`; the keeper calls it. Returns how many are still waiting.
   */
  deliverKept?(deadline: number): Promise<number>;
}

/** Who may do what: admins (link, allow/deny, everyone's audit) and the default permissions. */
export interface QcPolicy {
  adminUserIds: ReadonlySet<string>;
  defaultPermissions: readonly Permission[];
}

/**
 * The CC-Gateway as qc/ uses it: exactly the calls qc/ makes, with the gateway's own result types.
 * `GatewayClient` (src/gateway/client.ts) implements it; tests use an in-memory fake.
 * A refusal is a `GatewayOutcome` with `ok: false`; a transport failure throws a `GatewayTransportError`.
 */
export interface Gateway {
  signIn(agentId: string, opts: SignInOptions): Promise<GatewayOutcome<SignInData>>;
  /** Sign in even though the ID is signed in elsewhere (the other session is kicked). */
  forceSignIn(agentId: string, opts: SignInOptions): Promise<GatewayOutcome<SignInData>>;
  signOut(session: GatewaySession): Promise<GatewayOutcome>;
  /** Sign out even while talking (the call is released). */
  forceSignOut(session: GatewaySession): Promise<GatewayOutcome>;
  /** One long poll: one event, or `null` when the gateway had nothing. */
  pollEvent(
    session: GatewaySession,
    opts?: { calldata?: string },
  ): Promise<GatewayOutcome<{ event: GatewayEvent | null }>>;
  /** Push-mode heartbeat. */
  handshake(session: GatewaySession, opts?: { serviceToken?: string | Secret }): Promise<GatewayOutcome>;
  /** The signed-in inspector's own state (reads no events). */
  agentStatus(session: GatewaySession): Promise<GatewayOutcome<{ agentState: number; isWorking: boolean }>>;
  /** listen, insert, whisper… on one target agent. */
  qc(op: SimpleQcOperation, session: GatewaySession, workNo: string): Promise<GatewayOutcome>;
  stopWhisper(session: GatewaySession, workNo: string): Promise<GatewayOutcome>;
  /** Cancel listening or inserting. */
  cancelMonitor(session: GatewaySession, workNo: string): Promise<GatewayOutcome>;
  /** Toggle listen ⇄ insert. */
  switchListenInsert(session: GatewaySession, workNo: string): Promise<GatewayOutcome>;
  /** Switch among listen / insert / whisper. */
  switchMode(session: GatewaySession, workNo: string, mode: SwitchTarget): Promise<GatewayOutcome>;
  intercept(session: GatewaySession, workNo: string, callId?: string): Promise<GatewayOutcome>;
  forceBusy(session: GatewaySession, workNo: string): Promise<GatewayOutcome>;
  forceIdle(session: GatewaySession, workNo: string): Promise<GatewayOutcome>;
  /** Force another agent to sign out. */
  forceSignOutAgent(session: GatewaySession, workNo: string): Promise<GatewayOutcome>;
  /** Force-release a call by its call ID. */
  forceReleaseCall(session: GatewaySession, callId: string): Promise<GatewayOutcome>;
  /** The floor: every agent of the inspector's VDN (or one skill) with state, time in it, call. */
  allAgentStatus(
    session: GatewaySession,
    opts?: { skillId?: string },
  ): Promise<GatewayOutcome<AllAgentStatusData>>;
  /** Who monitors whom, where the gateway says (`allagent`; `supported: false` on a 404). */
  allAgentMonitors(session: GatewaySession): Promise<GatewayOutcome<AllAgentMonitorsData>>;
  /** Subscribe the session to these agents' state changes (QC_AgentState_Notify), at most 500. */
  beginMonitor(session: GatewaySession, workNos: readonly string[]): Promise<GatewayOutcome>;
  endMonitor(session: GatewaySession, workNos: readonly string[]): Promise<GatewayOutcome>;
}

export interface QcDeps {
  store: Store;
  gateway: Gateway;
  notifier: Notifier;
  logger: Logger;
  now: () => number;
}

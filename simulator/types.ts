import type { GatewayEvent, QcMode } from './events';

/** CCGateway state (table T1): 2 signed out, 3 busy, 4 idle, 5 wrap-up, 7 talking, 8 rest. */
export type AgentStateCode = 2 | 3 | 4 | 5 | 7 | 8;
/** The state an agent returns to when not on a call and not monitoring. */
export type RestState = 3 | 4 | 5 | 8;

export const STATE_NAMES: Record<AgentStateCode, string> = {
  2: 'signed-out',
  3: 'busy',
  4: 'idle',
  5: 'wrap-up',
  7: 'talking',
  8: 'rest',
};

/** T1 state → CTI platform state (table T2), as `ctiStatus` strings of the agent-group queries. */
export const CTI_STATUS: Record<AgentStateCode, string> = {
  2: '0',
  3: '7',
  4: '1',
  5: '6',
  7: '5',
  8: '8',
};

/** What a held long poll is woken with: an event, null (hold elapsed), or 'gone' (session ended / closing). */
export type WaitResult = GatewayEvent | null | 'gone';

export interface Waiter {
  resolve(r: WaitResult): void;
}

export interface PushState {
  inFlight: boolean;
  scheduled: boolean;
  failingSince?: number;
  nextRetryAt?: number;
  attempts: number;
  delivered: number;
}

/** A gateway session (one sign-in). */
export interface Session {
  seq: number;
  agentId: string;
  loginTime: number;
  mode: 'poll' | 'push';
  /** Pre-signed-in by the scenario: static Guid, no heartbeat expiry. */
  desktop: boolean;
  callBackUri?: string;
  serviceToken?: string;
  currentGuid: string;
  guids: Set<string>;
  lastHeartbeat: number;
  ended: boolean;
  endedAt?: number;
  queue: GatewayEvent[];
  waiters: Waiter[];
  push?: PushState;
}

export interface Monitoring {
  target: string;
  mode: QcMode;
  since: number;
  /**
   * The inspector's phone was answered (AgentOther_PhoneOffhook sent, BeQcStart sent to the target).
   * Until then it rings: intercept and switch answer 900-005, cancel works (see `/sim/phone`).
   */
  answered: boolean;
}

export interface AgentRec {
  id: string;
  password: string;
  phone?: string;
  vdn: number;
  qc: boolean;
  inspector: boolean;
  /** Skill queues the agent is configured for (scenario). */
  skills: number[];
  session?: Session;
  /** The last session, kept after sign-out so its final events can still be read. */
  lastSession?: Session;
  restState: RestState;
  /** Clock time when a rest (state 8) is over: AgentState_Rest_Timeout (the agent keeps resting). */
  restUntil?: number;
  callId?: string;
  monitoring?: Monitoring;
  /** Agents under `beginmonitor` by this agent's current session (QC_AgentState_Notify). */
  watching?: Set<string>;
}

export interface CallRec {
  id: string;
  /** Who holds the customer now (the agent, or the inspector after an intercept). */
  owner: string;
  /** The agent who answered the call. */
  agentId: string;
  caller: string;
  called: string;
  vdn: number;
  startedAt: number;
  /** When the agent answered (AgentEvent_Talking); undefined while the call rings (traffic calls). */
  answeredAt?: number;
  intercepted: boolean;
}

/** What a gateway route answers. */
export interface GwReply {
  status?: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface RequestLogEntry {
  /** Position in the log since the simulator started (stable across truncation; `GET /sim/requests?since=`). */
  seq: number;
  /** Clock time (ms) when the request arrived. */
  at: number;
  method: string;
  /** Path and query string (never contains a Guid, password or service token). */
  path: string;
  logName: string;
  /** The agent ID in the URI (the inspector for QC calls). */
  agentId?: string;
  retcode?: string;
  /** HTTP status; 0 when no response was sent (reset, hang, client went away). */
  status: number;
  guidPresent: boolean;
  /** Kind of the fault injected into this request, if any. */
  fault?: string;
  /** Milliseconds from arrival to response (real time). */
  durationMs?: number;
}

/** A read-only view of one agent (also what `snapshot().agents` lists). No Guid, no password. */
export interface AgentView {
  id: string;
  vdn: number;
  inspector: boolean;
  qc: boolean;
  signedIn: boolean;
  desktop: boolean;
  state: AgentStateCode;
  stateName: string;
  isWorking: boolean;
  mode: 'poll' | 'push' | null;
  loginTime: number | null;
  callId: string | null;
  monitoring: { target: string; mode: QcMode } | null;
  /** The phone of an inspector who started listen/insert/whisper: ringing until answered, then offhook. */
  phone: 'ringing' | 'offhook' | null;
  monitoredBy: { inspector: string; mode: QcMode }[];
  /** Skill queues the agent is configured for. */
  skills: number[];
  /** Agents under this agent's `beginmonitor` (QC_AgentState_Notify), by ascending ID. */
  watching: string[];
  queuedEvents: number;
}

/** A call as the snapshot shows it (the record, with its id named `callId`). */
export type CallView = Omit<CallRec, 'id'> & { callId: string };

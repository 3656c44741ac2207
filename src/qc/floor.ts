/**
 * The floor: every agent of an inspector's VDN (or one skill queue) with its state, since when, the
 * customer's number and who monitors it. Pure: built from an `allagentstatus` answer and qc-slack's
 * monitoring records, then kept current by folding gateway events in (QC_AgentState_Notify on the
 * inspector's session after `beginmonitor`, and agents' own state events). No Slack, no AWS, no clock:
 * every function takes `now`.
 */

import { contentField, type GatewayEvent } from '../gateway/events';
import type { AgentStatusEntry, MonitoredAgentEntry } from '../gateway/floor';
import type { MonitorMode } from './model';

/** Which agents a floor shows: the inspector's whole VDN, or one skill queue. */
export type FloorScope = { kind: 'vdn'; vdnId?: number } | { kind: 'skill'; skillId: string };

/** What a floor surface shows: the floor, its scope, the page, and whether it is still live. */
export interface FloorView {
  floor: Floor;
  scope: FloorScope;
  now: number;
  /** 0-based; a page past the end shows the last page. */
  page: number;
  /** Paused: the surface stopped updating (after FLOOR_LIVE_MS); it offers Refresh. */
  paused?: boolean;
  /** Up to 2 notes under the counts (plain text, escaped by the renderer, 300 characters each). */
  notes?: string[];
}

/** How long a floor stays live after it was opened (or refreshed); then it pauses and offers Refresh. */
export const FLOOR_LIVE_MS = 30 * 60_000;

export const FLOOR_STATES = [
  'talking',
  'ringing',
  'idle',
  'busy',
  'rest',
  'wrap-up',
  'signed-out',
  'unknown',
] as const;
export type FloorState = (typeof FLOOR_STATES)[number];

/** Who monitors an agent and how: a Slack user (qc-slack's records) or an inspector the gateway names. */
export interface FloorMonitor {
  kind: 'slack-user' | 'inspector';
  /** Slack user ID (kind slack-user) or the inspector's work number (kind inspector). */
  who: string;
  mode?: MonitorMode;
}

export interface FloorAgent {
  id: string;
  name?: string;
  state: FloorState;
  /** When the agent entered `state` (ms epoch): the gateway's figure, or when qc-slack saw the change. */
  since?: number;
  /** The customer's number on the current call (raw: mask it with maskNumber before showing it). */
  callerNumber?: string;
  callId?: string;
  skills?: string[];
  monitors: FloorMonitor[];
}

export interface Floor {
  agents: ReadonlyMap<string, FloorAgent>;
  /** The last time anything was read or folded in (ms epoch). */
  asOf: number;
}

/** A monitoring record as the floor needs it (qc-slack's store or the gateway's `allagent`). */
export interface FloorMonitorRecord {
  agentId: string;
  kind: FloorMonitor['kind'];
  who: string;
  mode?: MonitorMode;
}

/**
 * The gateway's `allagent` entries as monitoring records: only entries that name who monitors (its
 * shape is UNCONFIRMED; an entry with just an agent says nothing about monitors).
 */
export function gatewayMonitorRecords(entries: readonly MonitoredAgentEntry[]): FloorMonitorRecord[] {
  return entries.flatMap((e) =>
    e.monitoredBy === undefined
      ? []
      : [
          {
            agentId: e.workNo,
            kind: 'inspector' as const,
            who: e.monitoredBy,
            ...(e.mode ? { mode: e.mode } : {}),
          },
        ],
  );
}

/** T1 (`status`) → floor state. */
const T1: Record<number, FloorState> = {
  0: 'unknown',
  1: 'idle',
  2: 'signed-out',
  3: 'busy',
  4: 'idle',
  5: 'wrap-up',
  6: 'idle',
  7: 'talking',
  8: 'rest',
  9: 'rest',
};
/** T2 (`ctiStatus`) → floor state, used when T1 is missing or to tell ringing (4 answering) from talking. */
const T2: Record<number, FloorState> = {
  0: 'signed-out',
  1: 'idle',
  2: 'ringing',
  3: 'talking',
  4: 'ringing',
  5: 'talking',
  6: 'wrap-up',
  7: 'busy',
  8: 'rest',
  9: 'busy',
};

/** The state an `allagentstatus` entry says. */
export function stateOfEntry(e: Pick<AgentStatusEntry, 'status' | 'ctiStatus'>): FloorState {
  const t1 = e.status !== undefined ? T1[e.status] : undefined;
  const t2 = e.ctiStatus !== undefined ? T2[e.ctiStatus] : undefined;
  if (t1 === 'talking' && t2 === 'ringing') return 'ringing';
  return t1 ?? t2 ?? 'unknown';
}

const ON_CALL: ReadonlySet<FloorState> = new Set(['talking', 'ringing']);
export const isOnCall = (state: FloorState): boolean => ON_CALL.has(state);

/** A floor from an `allagentstatus` answer and the monitoring records known (others' agents ignored). */
export function buildFloor(
  entries: readonly AgentStatusEntry[],
  records: readonly FloorMonitorRecord[],
  now: number,
): Floor {
  const agents = new Map<string, FloorAgent>();
  for (const e of entries) {
    const state = stateOfEntry(e);
    const agent: FloorAgent = { id: e.workNo, state, monitors: [] };
    if (e.name !== undefined && e.name !== e.workNo) agent.name = e.name;
    if (e.sinceMs !== undefined) agent.since = e.sinceMs;
    if (e.skills !== undefined) agent.skills = [...e.skills];
    if (isOnCall(state) && e.callerNumber !== undefined) agent.callerNumber = e.callerNumber;
    if (isOnCall(state) && e.callId !== undefined) agent.callId = e.callId;
    agents.set(e.workNo, agent);
  }
  addMonitors(agents, records);
  return { agents, asOf: now };
}

/**
 * A fresh `allagentstatus` read over a floor already shown (Refresh, or a resync after lost events): the
 * gateway's states win; where an agent's state did not change and the gateway gives no time, the `since`
 * qc-slack saw is kept (and the caller number when still on a call), so a refresh does not reset durations.
 */
export function refreshFloor(
  previous: Floor,
  entries: readonly AgentStatusEntry[],
  records: readonly FloorMonitorRecord[],
  now: number,
): Floor {
  const fresh = buildFloor(entries, records, now);
  for (const agent of fresh.agents.values()) {
    const before = previous.agents.get(agent.id);
    if (!before || before.state !== agent.state) continue;
    if (agent.since === undefined && before.since !== undefined) agent.since = before.since;
    if (isOnCall(agent.state) && agent.callerNumber === undefined && before.callerNumber !== undefined)
      agent.callerNumber = before.callerNumber;
    if (isOnCall(agent.state) && agent.callId === undefined && before.callId !== undefined)
      agent.callId = before.callId;
  }
  return fresh;
}

/** QC_AgentState_Notify subtypes (without `QC_AgentState_`) that say a state. Meanings INFERRED (addendum §3). */
const NOTIFY_STATE: Record<string, FloorState> = {
  // Signed in, state not yet told: Idle/Busy follow at once.
  Login: 'unknown',
  Logout: 'signed-out',
  Idle: 'idle',
  Busy: 'busy',
  Work: 'wrap-up',
  Rest: 'rest',
  Active: 'talking',
  ThreeParty: 'talking',
  WaitAnswer: 'ringing',
  WaitAlerting: 'ringing',
  // The call ended; wrap-up or idle follows when the agent goes there.
  HungUp: 'idle',
};

/** An agent's own events (`workNo` = the agent) that say its state. */
const OWN_STATE: Record<string, FloorState> = {
  AgentOther_InService: 'unknown',
  AgentOther_ShutdownService: 'signed-out',
  AgentState_Ready: 'idle',
  AgentState_Force_Ready: 'idle',
  AgentState_CancelNotReady_Success: 'idle',
  AgentState_CancelRest_Success: 'idle',
  AgentState_CancelWork_Success: 'idle',
  AgentState_SetNotReady_Success: 'busy',
  AgentState_Force_SetNotReady: 'busy',
  AgentState_Work: 'wrap-up',
  AgentState_SetRest_Success: 'rest',
  AgentEvent_Ringing: 'ringing',
  AgentEvent_Customer_Alerting: 'ringing',
  AgentEvent_Talking: 'talking',
  AgentEvent_Call_Release: 'idle',
};

/** What one event says about one agent's state, or undefined when it says nothing about any state. */
export function stateChangeOf(
  event: GatewayEvent,
): { agentId: string; state: FloorState; caller?: string; callId?: string } | undefined {
  if (event.type === 'QC_AgentState_Notify') {
    const agentId = contentField(event, 'monitoredagent');
    const subtype = contentField(event, 'subtype') ?? '';
    const state = subtype.startsWith('QC_AgentState_')
      ? NOTIFY_STATE[subtype.slice('QC_AgentState_'.length)]
      : undefined;
    if (!agentId || !state) return undefined;
    return withCall({ agentId, state }, event);
  }
  const state = OWN_STATE[event.type];
  if (!state || !event.workNo) return undefined;
  return withCall({ agentId: event.workNo, state }, event);
}

function withCall(
  change: { agentId: string; state: FloorState },
  event: GatewayEvent,
): { agentId: string; state: FloorState; caller?: string; callId?: string } {
  if (!isOnCall(change.state)) return change;
  const caller = contentField(event, 'caller') ?? contentField(event, 'otherPhone');
  const callId = contentField(event, 'callid');
  return { ...change, ...(caller ? { caller } : {}), ...(callId ? { callId } : {}) };
}

/**
 * The floor after one event: a new floor when the event changed an agent of this floor, the same object
 * otherwise (so a caller can tell "nothing to redraw" by identity). `since` moves only when the state
 * changes; it is the event's own time when the gateway stamped it, else `now`.
 */
export function foldEvent(floor: Floor, event: GatewayEvent, now: number): Floor {
  const next = agentAfter(floor.agents, event, now);
  if (!next) return floor;
  const agents = new Map(floor.agents);
  agents.set(next.id, next);
  return { agents, asOf: Math.max(floor.asOf, now) };
}

/** Fold events in order (one copy of the floor for the whole batch; the same object when none changed it). */
export function foldEvents(floor: Floor, events: readonly GatewayEvent[], now: number): Floor {
  let agents: Map<string, FloorAgent> | undefined;
  for (const event of events) {
    const next = agentAfter(agents ?? floor.agents, event, now);
    if (!next) continue;
    agents ??= new Map(floor.agents);
    agents.set(next.id, next);
  }
  return agents ? { agents, asOf: Math.max(floor.asOf, now) } : floor;
}

/** The agent as one event leaves it, or undefined when the event changes no agent of this floor. */
function agentAfter(
  agents: ReadonlyMap<string, FloorAgent>,
  event: GatewayEvent,
  now: number,
): FloorAgent | undefined {
  const change = stateChangeOf(event);
  const agent = change ? agents.get(change.agentId) : undefined;
  if (!change || !agent) return undefined;
  const next: FloorAgent = { ...agent, state: change.state };
  if (change.state !== agent.state) next.since = event.genTime ?? now;
  if (!isOnCall(change.state)) {
    delete next.callerNumber;
    delete next.callId;
  } else {
    if (change.caller) next.callerNumber = change.caller;
    if (change.callId) next.callId = change.callId;
  }
  return sameAgent(agent, next) ? undefined : next;
}

function sameAgent(a: FloorAgent, b: FloorAgent): boolean {
  return (
    a.state === b.state && a.since === b.since && a.callerNumber === b.callerNumber && a.callId === b.callId
  );
}

/** Replace the monitors of the floor's agents by the records given (qc-slack's store changed). */
export function withMonitors(floor: Floor, records: readonly FloorMonitorRecord[], now: number): Floor {
  const agents = new Map<string, FloorAgent>();
  for (const a of floor.agents.values()) agents.set(a.id, { ...a, monitors: [] });
  addMonitors(agents, records);
  return { agents, asOf: Math.max(floor.asOf, now) };
}

function addMonitors(agents: Map<string, FloorAgent>, records: readonly FloorMonitorRecord[]): void {
  for (const r of records) {
    const agent = agents.get(r.agentId);
    if (!agent) continue;
    const monitor: FloorMonitor = { kind: r.kind, who: r.who, ...(r.mode ? { mode: r.mode } : {}) };
    const i = agent.monitors.findIndex((m) => m.kind === r.kind && m.who === r.who);
    if (i >= 0) agent.monitors[i] = monitor;
    else agent.monitors.push(monitor);
  }
}

const RANK: Record<FloorState, number> = {
  talking: 0,
  ringing: 1,
  idle: 2,
  busy: 3,
  'wrap-up': 4,
  rest: 5,
  unknown: 6,
  'signed-out': 7,
};

/**
 * Longest call first: talking by `since` ascending, then ringing (longest first), then the others by
 * state and time; an unknown `since` after the known ones; ties by agent ID (numeric, then text). Total:
 * two different agents never compare equal.
 */
export function compareAgents(a: FloorAgent, b: FloorAgent): number {
  const byState = RANK[a.state] - RANK[b.state];
  if (byState !== 0) return byState;
  if (a.since !== b.since) {
    if (a.since === undefined) return 1;
    if (b.since === undefined) return -1;
    return a.since - b.since;
  }
  if (a.id.length !== b.id.length) return a.id.length - b.id.length;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The floor's agents in display order (see compareAgents). */
export function orderAgents(floor: Floor | Iterable<FloorAgent>): FloorAgent[] {
  const list = 'agents' in floor ? [...floor.agents.values()] : [...floor];
  return list.sort(compareAgents);
}

/** How many agents are in each state (every state present, 0 included). */
export function countByState(floor: Floor): Record<FloorState, number> {
  const counts = Object.fromEntries(FLOOR_STATES.map((s) => [s, 0])) as Record<FloorState, number>;
  for (const a of floor.agents.values()) counts[a.state]++;
  return counts;
}

/** A phone number with only its last 4 digits shown ("•••• 1234"); short or odd input shows no digit. */
export function maskNumber(number: string | undefined): string {
  const digits = (number ?? '').replace(/\D/g, '');
  if (digits.length <= 4) return '••••';
  return `•••• ${digits.slice(-4)}`;
}

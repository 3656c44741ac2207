import type { Logger } from '../logger';
import {
  ConflictError,
  type MonitoringRecord,
  type MonitoringStore,
  type OperationThread,
} from '../store/types';

export type MonitoringDraft = Omit<MonitoringRecord, 'version'>;

/**
 * Read–change–write of an inspector's monitoring record, with the version check: when the worker
 * and the keeper write at once, the loser reads again and re-applies its change, so no update is
 * lost. `first` spares the first read when the caller already has the record. Returns false when
 * it kept conflicting (`attempts` times).
 */
export async function updateMonitoring(
  deps: { store: MonitoringStore; logger: Logger },
  key: { inspectorId: string; teamId: string },
  change: (draft: MonitoringDraft) => void,
  opts: { attempts?: number; first?: MonitoringRecord | undefined } = {},
): Promise<boolean> {
  const attempts = opts.attempts ?? 3;
  let current = 'first' in opts ? opts.first : await deps.store.getMonitoring(key.inspectorId);
  for (let attempt = 1; ; attempt++) {
    const { version, ...draft } = current ?? {
      inspectorId: key.inspectorId,
      teamId: key.teamId,
      confirmed: false,
      version: 0,
    };
    change(draft);
    try {
      await deps.store.putMonitoring(draft, version);
      return true;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      if (attempt >= attempts) return false;
      current = await deps.store.getMonitoring(key.inspectorId);
    }
  }
}

/** The inspector monitors nobody any more (the operations and their threads stay). */
export function clearTarget(draft: MonitoringDraft): void {
  delete draft.agentId;
  delete draft.mode;
  delete draft.since;
  draft.confirmed = false;
  draft.busySeen = false;
}

/**
 * Inspector events each successful gateway call causes (the reference and the simulator agree),
 * by the call's log name: a listen on an agent already monitored is a switch, which rings nothing.
 */
const EXPECTED_EVENTS: Record<string, readonly string[]> = {
  addSupervise: ['AgentState_Busy', 'AgentOther_PhoneAlerting', 'AgentOther_PhoneOffhook'],
  addInsert: ['AgentState_Busy', 'AgentOther_PhoneAlerting', 'AgentOther_PhoneOffhook'],
  requestWhisperAgent: ['AgentState_Busy', 'AgentOther_PhoneAlerting', 'AgentOther_PhoneOffhook'],
  intercept: ['AgentEvent_Talking', 'AgentMediaEvent_Record'],
  stopSuperviseOrInsert: ['AgentOther_PhoneRelease', 'AgentState_Ready'],
  requestStopWhisperAgent: ['AgentOther_PhoneRelease', 'AgentState_Ready'],
};
/** Another name for an expected event (a failed recording answers the intercept too). */
const SAME_AS: Record<string, string> = { AgentMediaEvent_Record_Fail: 'AgentMediaEvent_Record' };

/** An operation waits this long for the events it expects; then only the newest one gets events. */
export const OPEN_MS = 60_000;
const MAX_OPERATIONS = 4;

/**
 * A new result message: the newest operation, whose thread gets the events nobody else expects.
 * `call` is the gateway interface a successful operation called (absent: it failed, expects nothing).
 */
export function addOperation(
  draft: MonitoringDraft,
  o: Omit<OperationThread, 'expects'> & { call?: string },
): void {
  const { call, ...rest } = o;
  const expects = call ? [...(EXPECTED_EVENTS[call] ?? [])] : [];
  draft.ops = openOperations([...(draft.ops ?? []), { ...rest, expects }], o.at);
}

/** The newest operation, and the older ones still waiting for events (recent, at most a few). */
export function openOperations(ops: OperationThread[], now: number): OperationThread[] {
  const last = ops.length - 1;
  return ops
    .filter((o, i) => i === last || (o.expects.length > 0 && now - o.at < OPEN_MS))
    .slice(-MAX_OPERATIONS);
}

/**
 * Which operation an event belongs to: the oldest one still expecting its type (the type is then
 * no longer expected), else the newest. The gateway hands an inspector's events over in the order
 * it made them, so an event of an operation also means the older ones' events have all come: they
 * expect nothing more. -1 when there is no operation (the events go to the DM).
 */
export function routeEvent(ops: OperationThread[], type: string): number {
  const kind = SAME_AS[type] ?? type;
  const at = ops.findIndex((o) => o.expects.includes(kind));
  if (at < 0) return ops.length - 1;
  for (let i = 0; i <= at; i++) {
    const op = ops[i] as OperationThread;
    ops[i] = { ...op, expects: i < at ? [] : op.expects.filter((t) => t !== kind) };
  }
  return at;
}

/** Same operation (its identity is what it was and when its result was posted). */
export const sameOperation = (a: OperationThread | undefined, b: OperationThread | undefined): boolean =>
  a?.op === b?.op && a?.at === b?.at;

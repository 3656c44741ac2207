/**
 * The gateway's QC interfaces (what `/qc listen|insert|whisper|stop|switch|intercept|force-*` calls), by
 * their log names.
 */
export const QC_LOG_NAMES = [
  'addSupervise',
  'addInsert',
  'requestWhisperAgent',
  'requestStopWhisperAgent',
  'stopSuperviseOrInsert',
  'switchSuperviseOrInsert',
  'requestSwitchInsertWhisperAgent',
  'intercept',
  'forceBusy',
  'forceIdle',
  'forceLogOutAgent',
  'forceDropCall',
] as const;

/** The gateway's own log names (one per interface). Faults target these; the request log reports them. */
export const LOG_NAMES = [
  'login',
  'forceLogin',
  'logout',
  'forceLogout',
  'getAgentEvent',
  'handShake',
  'getAgentStatus',
  'updateGuid',
  ...QC_LOG_NAMES,
  'heartbeat',
  'getAllAgentEvent',
  'sayFree',
  'sayBusy',
  'cancelBusy',
  'sayWork',
  'cancelWork',
  'rest',
  'cancelRest',
  'resetSkill',
  'isCensor',
  'queryAllAgentStatus',
  'queryOnlineAgentOnVdn',
  'beginMonitor',
  'endMonitor',
  'queryAllMonitoredAgents',
  'forceRest',
  'queryAgentInfoBySkillId',
  'queryAgentByConfigedSkill',
  'queryAgentSkills',
  'queryAgentSkillsByWorkNo',
] as const;
export type LogName = (typeof LOG_NAMES)[number];

export const FAULT_KINDS = ['latency', 'status', 'reset', 'invalid-json', 'hang', 'retcode'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  /** A log name (e.g. 'intercept') or '*' (default): which requests the fault hits. */
  interface?: string;
  kind: FaultKind;
  /** How many matching requests it hits; default 1; Infinity = until cleared. */
  count?: number;
  /** latency: delay before handling normally. */
  ms?: number;
  /** status: the HTTP status to answer (default 503). */
  status?: number;
  /** retcode: the retcode to answer (default '100-007'). */
  retcode?: string;
}

export interface ActiveFault extends Fault {
  interface: string;
  remaining: number;
}

export class FaultError extends Error {
  override name = 'FaultError';
}

/**
 * Validates a fault (from code or from `POST /sim/faults` JSON). In JSON, `"count": null`,
 * `"count": "Infinity"` or `"count": -1` mean "until cleared".
 */
export function parseFault(input: unknown): ActiveFault {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new FaultError('fault: expected an object');
  const f = input as Record<string, unknown>;
  const kind = f.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind))
    throw new FaultError(
      `fault.kind: expected one of ${FAULT_KINDS.join(', ')} (got ${JSON.stringify(kind)})`,
    );
  const iface = f.interface ?? '*';
  if (typeof iface !== 'string' || (iface !== '*' && !(LOG_NAMES as readonly string[]).includes(iface)))
    throw new FaultError(
      `fault.interface: expected '*' or a log name (${LOG_NAMES.join(', ')}); got ${JSON.stringify(iface)}`,
    );
  let count: number;
  if (f.count === undefined) count = 1;
  else if (
    f.count === null ||
    f.count === 'Infinity' ||
    f.count === -1 ||
    f.count === Number.POSITIVE_INFINITY
  )
    count = Number.POSITIVE_INFINITY;
  else if (typeof f.count === 'number' && Number.isInteger(f.count) && f.count >= 1) count = f.count;
  else
    throw new FaultError(
      `fault.count: expected a positive integer or Infinity (got ${JSON.stringify(f.count)})`,
    );
  const out: ActiveFault = { interface: iface, kind: kind as FaultKind, count, remaining: count };
  if (kind === 'latency') {
    if (typeof f.ms !== 'number' || !Number.isFinite(f.ms) || f.ms < 0)
      throw new FaultError(`fault.ms: 'latency' needs ms >= 0 (got ${JSON.stringify(f.ms)})`);
    out.ms = f.ms;
  }
  if (kind === 'status') {
    const status = f.status ?? 503;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)
      throw new FaultError(`fault.status: expected an HTTP status 200-599 (got ${JSON.stringify(f.status)})`);
    out.status = status;
  }
  if (kind === 'retcode') {
    const retcode = f.retcode ?? '100-007';
    if (typeof retcode !== 'string' || retcode === '')
      throw new FaultError(
        `fault.retcode: expected a retcode string such as "900-003" (got ${JSON.stringify(f.retcode)})`,
      );
    out.retcode = retcode;
  }
  return out;
}

/** Injected faults, consumed in insertion order by matching requests. */
export class FaultSet {
  private active: ActiveFault[] = [];

  add(f: Fault): ActiveFault {
    const parsed = parseFault(f);
    this.active.push(parsed);
    return parsed;
  }

  clear(): void {
    this.active = [];
  }

  /** The fault for one request to `logName` (its count is consumed), if any. */
  take(logName: string): ActiveFault | undefined {
    const i = this.active.findIndex((f) => f.interface === '*' || f.interface === logName);
    if (i < 0) return undefined;
    const f = this.active[i] as ActiveFault;
    f.remaining -= 1;
    if (f.remaining <= 0) this.active.splice(i, 1);
    return f;
  }

  list(): ActiveFault[] {
    return this.active.map((f) => ({ ...f }));
  }
}

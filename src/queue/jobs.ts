/**
 * What the Slack function hands to the worker through the FIFO queue. Jobs carry IDs and the
 * Slack context only — never a Guid or a password. The worker re-validates every field.
 */
import type { FloorScope } from '../qc/floor';
import { QC_OPERATIONS, type QcOperation, type SlackContext } from '../qc/model';

export type Job =
  | ({
      kind: 'qc';
      op: QcOperation;
      agentId: string;
      inspectorId: string;
      /** Clicked on a monitoring alert: the worker re-reads the alert and checks the agent. */
      alertId?: string;
    } & JobBase)
  | ({ kind: 'release-call'; callId: string; inspectorId: string } & JobBase)
  | ({ kind: 'permissions'; targetUserId: string; change: 'allow' | 'deny'; permissions: string[] } & JobBase)
  | ({ kind: 'who'; agentId?: string } & JobBase)
  | ({ kind: 'audit'; words: string[] } & JobBase)
  | ({ kind: 'home' } & JobBase)
  | ({
      kind: 'link';
      targetUserId: string;
      inspectorId: string;
      phone?: string;
      allowedPhones?: string[];
    } & JobBase)
  | ({ kind: 'unlink'; targetUserId: string } & JobBase)
  | ({ kind: 'status' } & JobBase)
  | ({ kind: 'signout' } & JobBase)
  /** `/qc floor [skill|all] [share]`: a floor message in the requester's DM (or the channel with `share`). */
  | ({ kind: 'floor'; scope: FloorScope; share?: true } & JobBase)
  /** A floor's page button or Refresh: redraw that floor (a message `channel:ts`, or `home:user`). */
  | ({ kind: 'floor-view'; floorId: string; page: number; refresh?: true } & JobBase)
  /**
   * One-click take-over: listen, then the keeper waits for the inspector's phone and intercepts (its
   * steps run in the keeper, src/qc/takeover-step.ts: no job of their own).
   */
  | ({ kind: 'takeover'; agentId: string; inspectorId: string; alertId?: string } & JobBase);

interface JobBase {
  v: 1;
  /** Idempotency key derived from the Slack request (also the SQS deduplication id). */
  requestId: string;
  slack: SlackContext;
  requestedAt: number;
}

export type JobKind = Job['kind'];

type Raw = Record<string, unknown>;

function isRecord(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
/** Agent and inspector IDs (work numbers): digits only. */
const workNo = (v: unknown): v is string => typeof v === 'string' && /^[0-9]{1,7}$/.test(v);
const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);
const strings = (v: unknown, maxItems: number, maxLength: number): boolean =>
  Array.isArray(v) && v.length <= maxItems && v.every((p) => str(p, maxLength));
const scope = (v: unknown): boolean =>
  isRecord(v) &&
  ((v.kind === 'vdn' && optional(v.vdnId, (n) => Number.isInteger(n))) ||
    (v.kind === 'skill' && typeof v.skillId === 'string' && /^[0-9]{1,9}$/.test(v.skillId)));

/** Per kind: does the rest of the body (past the common fields) hold what that kind needs? */
const CHECKS: Record<JobKind, (raw: Raw) => boolean> = {
  qc: (r) =>
    QC_OPERATIONS.includes(r.op as QcOperation) &&
    workNo(r.agentId) &&
    workNo(r.inspectorId) &&
    optional(r.alertId, (v) => str(v, 64)),
  'release-call': (r) => str(r.callId, 64) && workNo(r.inspectorId),
  permissions: (r) =>
    str(r.targetUserId, 40) &&
    (r.change === 'allow' || r.change === 'deny') &&
    strings(r.permissions, 20, 40),
  who: (r) => optional(r.agentId, workNo),
  audit: (r) => strings(r.words, 10, 100),
  link: (r) =>
    str(r.targetUserId, 40) &&
    workNo(r.inspectorId) &&
    optional(r.phone, (v) => str(v, 24)) &&
    optional(r.allowedPhones, (v) => strings(v, 10, 24)),
  unlink: (r) => str(r.targetUserId, 40),
  status: () => true,
  signout: () => true,
  home: () => true,
  floor: (r) => scope(r.scope) && optional(r.share, (v) => v === true),
  'floor-view': (r) =>
    str(r.floorId, 80) &&
    Number.isInteger(r.page) &&
    (r.page as number) >= 0 &&
    optional(r.refresh, (v) => v === true),
  takeover: (r) => workNo(r.agentId) && workNo(r.inspectorId) && optional(r.alertId, (v) => str(v, 64)),
};

function slackContext(v: unknown): boolean {
  return (
    isRecord(v) &&
    str(v.teamId, 40) &&
    str(v.userId, 40) &&
    str(v.channelId, 40) &&
    optional(v.responseUrl, (u) => str(u, 2000)) &&
    optional(v.ackNote, (n) => n === true)
  );
}

/** Parse and check a queue message body; `null` for anything that is not a job we wrote. */
export function parseJob(body: string): Job | null {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return null;
  }
  if (!isRecord(raw) || raw.v !== 1 || !str(raw.requestId, 128) || typeof raw.requestedAt !== 'number')
    return null;
  if (!slackContext(raw.slack)) return null;
  const kind = raw.kind;
  const check = typeof kind === 'string' && Object.hasOwn(CHECKS, kind) ? CHECKS[kind as JobKind] : undefined;
  return check?.(raw) ? (raw as unknown as Job) : null;
}

/** FIFO group: one inspector's (or one Slack user's) jobs run in order. */
export function groupIdOf(job: Job): string {
  return job.kind === 'qc' || job.kind === 'release-call' || job.kind === 'takeover'
    ? `inspector-${job.inspectorId}`
    : `user-${job.slack.teamId}-${job.slack.userId}`;
}

/**
 * What the Slack function hands to the worker through the FIFO queue. Jobs carry IDs and the
 * Slack context only — never a Guid or a password. The worker re-validates every field.
 */
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
  | ({ kind: 'signout' } & JobBase);

interface JobBase {
  v: 1;
  /** Idempotency key derived from the Slack request (also the SQS deduplication id). */
  requestId: string;
  slack: SlackContext;
  requestedAt: number;
}

export type JobKind = Job['kind'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

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
  const slack = raw.slack;
  if (!isRecord(slack) || !str(slack.teamId, 40) || !str(slack.userId, 40) || !str(slack.channelId, 40))
    return null;
  if (slack.responseUrl !== undefined && !str(slack.responseUrl, 2000)) return null;
  if (slack.ackNote !== undefined && slack.ackNote !== true) return null;
  switch (raw.kind) {
    case 'qc':
      if (!QC_OPERATIONS.includes(raw.op as QcOperation) || !str(raw.agentId, 7) || !str(raw.inspectorId, 7))
        return null;
      if (raw.alertId !== undefined && !str(raw.alertId, 64)) return null;
      return raw as unknown as Job;
    case 'release-call':
      return str(raw.callId, 64) && str(raw.inspectorId, 7) ? (raw as unknown as Job) : null;
    case 'permissions':
      if (!str(raw.targetUserId, 40) || (raw.change !== 'allow' && raw.change !== 'deny')) return null;
      if (!Array.isArray(raw.permissions) || !raw.permissions.every((p) => str(p, 40))) return null;
      return raw as unknown as Job;
    case 'who':
      return raw.agentId === undefined || str(raw.agentId, 7) ? (raw as unknown as Job) : null;
    case 'audit':
      return Array.isArray(raw.words) && raw.words.length <= 10 && raw.words.every((w) => str(w, 100))
        ? (raw as unknown as Job)
        : null;
    case 'link':
      if (!str(raw.targetUserId, 40) || !str(raw.inspectorId, 7)) return null;
      if (raw.phone !== undefined && !str(raw.phone, 24)) return null;
      if (
        raw.allowedPhones !== undefined &&
        !(
          Array.isArray(raw.allowedPhones) &&
          raw.allowedPhones.length <= 10 &&
          raw.allowedPhones.every((p) => str(p, 24))
        )
      )
        return null;
      return raw as unknown as Job;
    case 'unlink':
      return str(raw.targetUserId, 40) ? (raw as unknown as Job) : null;
    case 'status':
    case 'signout':
    case 'home':
      return raw as unknown as Job;
    default:
      return null;
  }
}

/** FIFO group: one inspector's (or one Slack user's) jobs run in order. */
export function groupIdOf(job: Job): string {
  return job.kind === 'qc' || job.kind === 'release-call'
    ? `inspector-${job.inspectorId}`
    : `user-${job.slack.teamId}-${job.slack.userId}`;
}

import { errorSummary } from '../errors';
import type { Job } from '../queue/jobs';
import { releaseIntercept } from './alert-actions';
import type { GatewayRequest } from './notice';
import type { QcDeps } from './ports';

/** The worker's limits (config: WORKER_TIMEOUT_MS, QC_JOB_MAX_AGE_MS). */
export interface JobLimits {
  /** A claim older than this belongs to a worker that died (the function's timeout, 30 s). */
  workerTimeoutMs: number;
  /** A gateway job that waited in the queue longer than this is refused. */
  jobMaxAgeMs: number;
  /** How long a take-over waits for the inspector's phone (TAKEOVER_ANSWER_MS; default 30 s). */
  takeoverAnswerMs?: number;
}

export const DEFAULT_JOB_LIMITS: JobLimits = { workerTimeoutMs: 30_000, jobMaxAgeMs: 60_000 };

type GatewayJob = Extract<Job, { kind: 'qc' | 'release-call' | 'signout' | 'takeover' }>;

/** The jobs that call the gateway: they are never run late and never repeated blindly. */
export function callsGateway(job: Job): job is GatewayJob {
  return (
    job.kind === 'qc' || job.kind === 'release-call' || job.kind === 'signout' || job.kind === 'takeover'
  );
}

/** The request as the user typed it (the notice words it; a take-over is the intercept it becomes). */
function requestOf(job: GatewayJob): GatewayRequest {
  if (job.kind === 'qc') return { op: job.op, agentId: job.agentId };
  if (job.kind === 'takeover') return { op: 'intercept', agentId: job.agentId };
  if (job.kind === 'release-call') return { op: 'release-call', callId: job.callId };
  return { op: 'signout' };
}

async function auditRow(deps: QcDeps, job: GatewayJob, outcome: string): Promise<void> {
  try {
    await deps.store.record({
      teamId: job.slack.teamId,
      userId: job.slack.userId,
      ...(job.kind === 'signout' ? {} : { inspectorId: job.inspectorId }),
      ...(job.kind === 'qc' || job.kind === 'takeover' ? { agentId: job.agentId } : {}),
      ...(job.kind === 'release-call' ? { agentId: job.callId } : {}),
      operation: job.kind === 'qc' ? job.op : job.kind,
      outcome,
      channel: job.slack.channelId,
      at: deps.now(),
    });
  } catch (err) {
    // The user has been told; a missing audit row is logged loudly, not turned into a retry.
    deps.logger.error({ kind: job.kind, err: errorSummary(err) }, 'audit row could not be written');
  }
}

/** How long the job waited in the queue, when that is too long to still run it (else undefined). */
export function overAge(job: Job, now: number, limits: JobLimits): number | undefined {
  const age = now - job.requestedAt;
  return callsGateway(job) && age > limits.jobMaxAgeMs ? age : undefined;
}

/** A gateway job that waited too long: not run, the user told in words, an audit row. */
export async function refuseExpired(deps: QcDeps, job: GatewayJob, ageMs: number): Promise<void> {
  await deps.notifier.tell(job.slack, { kind: 'job-expired', request: requestOf(job), ageMs });
  await auditRow(deps, job, 'expired');
}

/**
 * The redelivery of a gateway job whose worker died after claiming it: the gateway call may or may
 * not have happened, so it is not repeated. The user hears how to find out, and an alert call the
 * request had claimed is freed for the other inspectors.
 */
export async function answerStale(deps: QcDeps, job: GatewayJob): Promise<void> {
  const claimsAlert = job.kind === 'takeover' || (job.kind === 'qc' && job.op === 'intercept');
  if (claimsAlert && job.alertId) await releaseIntercept(deps, job.alertId, job.slack.userId);
  await deps.notifier.tell(job.slack, { kind: 'job-outcome-unknown', request: requestOf(job) });
  await auditRow(deps, job, 'unknown');
}

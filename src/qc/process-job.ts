import { errorSummary } from '../errors';
import type { Job } from '../queue/jobs';
import { changePermissions, linkUser, showHome, showStatus, showWho, unlinkUser } from './account-jobs';
import { runAudit } from './audit-job';
import { runFloorJob } from './floor-job';
import { type GatewayProgress, JobFailure, trackGateway } from './job-failure';
import {
  answerStale,
  callsGateway,
  DEFAULT_JOB_LIMITS,
  type JobLimits,
  overAge,
  refuseExpired,
} from './job-limits';
import type { QcDeps, QcPolicy } from './ports';
import { loadQcState, type QcState, runQc } from './run-qc';
import { runRelease } from './run-release';
import { signOut } from './signout-job';
import { runTakeover } from './takeover';

/** How long a request's idempotency record is kept (SQS FIFO dedupes for 5 min; Slack retries for ~5). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

export interface JobResult {
  status: 'done' | 'duplicate' | 'invalid' | 'expired' | 'stale';
  detail?: string;
}

type WorkerQcDeps = QcDeps & QcPolicy & { limits?: JobLimits };

/**
 * The worker's one job: claim the request (a redelivered message never reaches the gateway
 * twice), refuse it if it waited too long, then run it. Admin rights are checked again here: the
 * queue is not trusted. A failure is thrown as a JobFailure saying whether the claim was taken
 * and whether a gateway request may have been carried out (the worker decides about a retry).
 */
export async function processJob(deps: WorkerQcDeps, job: Job): Promise<JobResult> {
  const limits = deps.limits ?? DEFAULT_JOB_LIMITS;
  // A QC request's reads have no effect, so they run while the claim is taken (one round trip
  // instead of two on the way to the gateway); a duplicate simply drops them.
  const loaded = job.kind === 'qc' ? loadQcState(deps, job) : undefined;
  // Awaited below when the job runs; a duplicate or a failed claim drops the reads unread.
  loaded?.catch(() => {});
  let claim: Awaited<ReturnType<typeof claimJob>>;
  try {
    claim = await claimJob(deps, job, limits);
  } catch (err) {
    throw new JobFailure(err, { claimed: false, mayHaveApplied: false });
  }
  if (claim === 'duplicate') return { status: 'duplicate' };
  const progress: GatewayProgress = { mayHaveApplied: false };
  try {
    const result = await runClaimed({ ...deps, gateway: trackGateway(deps.gateway, progress) }, job, {
      stale: claim === 'stale',
      limits,
      loaded,
    });
    await deps.store.finish(job.requestId, {
      status: result.status,
      ...(result.detail ? { detail: result.detail } : {}),
    });
    return result;
  } catch (err) {
    throw new JobFailure(err, { claimed: true, mayHaveApplied: progress.mayHaveApplied });
  }
}

/**
 * Claim the request: 'run' (ours now), 'stale' (a worker that died left it in progress longer
 * than the worker timeout, and this delivery took it over — only one does), or 'duplicate'.
 */
async function claimJob(deps: WorkerQcDeps, job: Job, limits: JobLimits) {
  const now = deps.now();
  const claim = await deps.store.claim(job.requestId, now, IDEMPOTENCY_TTL_SECONDS);
  if (claim.state === 'new') return 'run';
  const stale = claim.state === 'in-progress' && now - claim.startedAt > limits.workerTimeoutMs;
  if (stale && (await deps.store.takeOver(job.requestId, claim.startedAt, now))) {
    deps.logger.warn({ request: job.requestId, kind: job.kind }, 'stale claim taken over');
    return 'stale';
  }
  deps.logger.info(
    { request: job.requestId, kind: job.kind, state: claim.state },
    'duplicate delivery skipped',
  );
  return 'duplicate';
}

/** A claimed job: a stale gateway job is answered "outcome unknown", an old one refused, else run. */
async function runClaimed(
  deps: WorkerQcDeps,
  job: Job,
  a: { stale: boolean; limits: JobLimits; loaded: Promise<QcState> | undefined },
): Promise<JobResult> {
  if (a.stale && callsGateway(job)) {
    await answerStale(deps, job);
    return { status: 'stale' };
  }
  const age = overAge(job, deps.now(), a.limits);
  if (age !== undefined && callsGateway(job)) {
    await refuseExpired(deps, job, age);
    return { status: 'expired', detail: `${Math.round(age / 1000)}s` };
  }
  const result = await run(deps, job, a.loaded);
  // An action taken from the App Home tab (its "channel" is the user): redraw the tab. (A floor's
  // page/Refresh on Home redraws the tab itself, with the floor it read.)
  if (job.kind !== 'home' && job.kind !== 'floor-view' && job.slack.channelId === job.slack.userId) {
    await showHome(deps, job.slack.teamId, job.slack.userId).catch((err: unknown) =>
      deps.logger.warn({ err: errorSummary(err) }, 'App Home could not be refreshed'),
    );
  }
  return result;
}

async function run(deps: WorkerQcDeps, job: Job, loaded: Promise<QcState> | undefined): Promise<JobResult> {
  switch (job.kind) {
    case 'qc': {
      const outcome = await runQc(deps, job, loaded);
      return { status: 'done', detail: outcome.kind === 'gateway' ? outcome.retcode : outcome.kind };
    }
    case 'release-call': {
      const outcome = await runRelease(deps, job);
      return { status: 'done', detail: outcome.kind === 'gateway' ? outcome.retcode : outcome.kind };
    }
    case 'permissions':
      return { status: 'done', detail: await changePermissions(deps, job) };
    case 'who':
      await showWho(deps, job);
      return { status: 'done' };
    case 'home':
      await showHome(deps, job.slack.teamId, job.slack.userId);
      return { status: 'done' };
    case 'audit':
      return { status: 'done', detail: await runAudit(deps, job) };
    case 'link':
      return { status: 'done', detail: await linkUser(deps, job) };
    case 'unlink':
      return { status: 'done', detail: await unlinkUser(deps, job) };
    case 'status':
      await showStatus(deps, job);
      return { status: 'done' };
    case 'signout':
      return { status: 'done', detail: await signOut(deps, job) };
    case 'floor':
    case 'floor-view':
      return { status: 'done', detail: await runFloorJob(deps, job) };
    case 'takeover':
      return { status: 'done', detail: await runTakeover(deps, job) };
  }
}

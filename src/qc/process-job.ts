import { errorSummary } from '../errors';
import { GatewayTransportError } from '../gateway';
import type { Job } from '../queue/jobs';
import { changePermissions, linkUser, showHome, showWho, unlinkUser } from './account-jobs';
import { runAudit } from './audit-job';
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
import { gatewaySession, isUsableSession, loadQcState, ownsSession, type QcState, runQc } from './run-qc';
import { runRelease } from './run-release';

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
  deps: QcDeps & QcPolicy,
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
  // An action taken from the App Home tab (its "channel" is the user): redraw the tab.
  if (job.kind !== 'home' && job.slack.channelId === job.slack.userId) {
    await showHome(deps, job.slack.teamId, job.slack.userId).catch((err: unknown) =>
      deps.logger.warn({ err: errorSummary(err) }, 'App Home could not be refreshed'),
    );
  }
  return result;
}

async function run(
  deps: QcDeps & QcPolicy,
  job: Job,
  loaded: Promise<QcState> | undefined,
): Promise<JobResult> {
  const { store, notifier } = deps;
  const tell = (text: string) => notifier.tell(job.slack, { kind: 'text', text });
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
    case 'status': {
      const link = await store.getLink(job.slack.teamId, job.slack.userId);
      const session = link ? await store.getSession(link.inspectorId) : undefined;
      const monitoring = link ? await store.getMonitoring(link.inspectorId) : undefined;
      const own = ownsSession(session, job.slack) ? session : undefined;
      const fallbacks = deps.adminUserIds.has(job.slack.userId)
        ? await store.getGatewayFallbacks()
        : undefined;
      await notifier.tell(job.slack, {
        kind: 'status',
        ...(link ? { link } : {}),
        ...(own ? { session: own } : {}),
        ...(monitoring && own ? { monitoring } : {}),
        ...(fallbacks && Object.keys(fallbacks).length > 0 ? { gatewayFallbacks: fallbacks } : {}),
        now: deps.now(),
      });
      return { status: 'done' };
    }
    case 'signout': {
      const link = await store.getLink(job.slack.teamId, job.slack.userId);
      const session = link ? await store.getSession(link.inspectorId) : undefined;
      if (!link || !session || !isUsableSession(session, job.slack)) {
        await tell('You are not signed in to the gateway.');
        return { status: 'done', detail: 'not-signed-in' };
      }
      try {
        const out = await deps.gateway.signOut(gatewaySession(session));
        if (!out.ok && !out.explanation.sessionEnded) {
          await tell(
            `The gateway did not sign you out: ${out.explanation.meaning} ${out.explanation.nextStep} (retcode ${out.retcode})`,
          );
          return { status: 'done', detail: out.retcode };
        }
      } catch (err) {
        if (!(err instanceof GatewayTransportError)) throw err;
        await tell(`Sign-out: ${err.explanation} ${err.nextStep}`);
        return { status: 'done', detail: `transport:${err.kind}` };
      }
      await store.endSession(session.inspectorId, session.sessionId, 'you signed out', deps.now());
      await store.record({
        teamId: job.slack.teamId,
        userId: job.slack.userId,
        inspectorId: session.inspectorId,
        operation: 'signout',
        outcome: '0',
        at: deps.now(),
      });
      await tell(`Signed out inspector ${session.inspectorId} from the gateway.`);
      return { status: 'done', detail: 'signed-out' };
    }
  }
}

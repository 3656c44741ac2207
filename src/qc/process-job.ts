import { GatewayTransportError } from '../gateway';
import type { Job } from '../queue/jobs';
import { changePermissions, linkUser, showHome, showWho, unlinkUser } from './account-jobs';
import { runAudit } from './audit-job';
import type { QcDeps, QcPolicy } from './ports';
import { gatewaySession, isUsableSession, loadQcState, ownsSession, type QcState, runQc } from './run-qc';
import { runRelease } from './run-release';

/** How long a request's idempotency record is kept (SQS FIFO dedupes for 5 min; Slack retries for ~5). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

export interface JobResult {
  status: 'done' | 'duplicate' | 'invalid';
  detail?: string;
}

/**
 * The worker's one job: claim the request (a redelivered message never reaches the gateway
 * twice), then run it. Admin rights are checked again here: the queue is not trusted.
 */
export async function processJob(deps: QcDeps & QcPolicy, job: Job): Promise<JobResult> {
  // A QC request's reads have no effect, so they run while the claim is taken (one round trip
  // instead of two on the way to the gateway); a duplicate simply drops them.
  const loaded = job.kind === 'qc' ? loadQcState(deps, job) : undefined;
  loaded?.catch(() => {});
  const claim = await deps.store.claim(job.requestId, deps.now(), IDEMPOTENCY_TTL_SECONDS);
  if (claim.state !== 'new') {
    deps.logger.info(
      { request: job.requestId, kind: job.kind, state: claim.state },
      'duplicate delivery skipped',
    );
    return { status: 'duplicate', detail: claim.state };
  }
  const result = await run(deps, job, loaded);
  // An action taken from the App Home tab (its "channel" is the user): redraw the tab.
  if (job.kind !== 'home' && job.slack.channelId === job.slack.userId) {
    await showHome(deps, job.slack.teamId, job.slack.userId).catch((err: unknown) =>
      deps.logger.warn({ error: (err as Error).name }, 'App Home could not be refreshed'),
    );
  }
  await deps.store.finish(job.requestId, {
    status: result.status,
    ...(result.detail ? { detail: result.detail } : {}),
  });
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
      await notifier.tell(job.slack, {
        kind: 'status',
        ...(link ? { link } : {}),
        ...(own ? { session: own } : {}),
        ...(monitoring && own ? { monitoring } : {}),
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

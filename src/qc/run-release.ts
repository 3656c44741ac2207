import type { Job } from '../queue/jobs';
import type { QcOutcome } from './outcome';
import type { QcDeps, QcPolicy } from './ports';
import { audit, callGateway, permissionRefusal, type QcRequest, refuse } from './run-qc';

type ReleaseJob = Extract<Job, { kind: 'release-call' }>;

/**
 * `/qc release-call <callId>` (confirmed in Slack first): the `release` permission, a session,
 * one gateway call. It touches no monitoring state; the result goes to the channel.
 */
export async function runRelease(deps: QcDeps & QcPolicy, job: ReleaseJob): Promise<QcOutcome> {
  const started = deps.now();
  const req: QcRequest = { slack: job.slack, op: 'release-call', agentId: job.callId };
  const link = await deps.store.getLink(job.slack.teamId, job.slack.userId);
  if (!link) return refuse(deps, req, { kind: 'not-linked' });
  const inspectorId = link.inspectorId;
  const denied = permissionRefusal(deps, link, 'release-call', job.callId);
  if (denied) return refuse(deps, req, denied, inspectorId);
  const session = await deps.store.getSession(inspectorId);
  if (session?.status !== 'active' || session.teamId !== job.slack.teamId || !session.guid) {
    return refuse(deps, req, {
      kind: 'no-session',
      inspectorId,
      ...(session?.endedReason ? { reason: session.endedReason } : {}),
    });
  }
  const outcome = await callGateway(deps, req, session, (s) => deps.gateway.forceReleaseCall(s, job.callId));
  const thread = await deps.notifier.report(job.slack, outcome);
  await audit(deps, req, outcome, inspectorId, deps.now() - started, thread);
  return outcome;
}

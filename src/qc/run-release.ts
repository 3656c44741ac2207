import type { Job } from '../queue/jobs';
import type { QcOutcome } from './outcome';
import type { QcDeps, QcPolicy } from './ports';
import { admit, audit, callGateway, type QcRequest, refuse } from './run-qc';

type ReleaseJob = Extract<Job, { kind: 'release-call' }>;

/**
 * `/qc release-call <callId>` (confirmed in Slack first): the `release` permission, a session,
 * one gateway call. It touches no monitoring state; the result goes to the channel.
 */
export async function runRelease(deps: QcDeps & QcPolicy, job: ReleaseJob): Promise<QcOutcome> {
  const started = deps.now();
  const req: QcRequest = { slack: job.slack, op: 'release-call', callId: job.callId };
  const link = await deps.store.getLink(job.slack.teamId, job.slack.userId);
  const session = link ? await deps.store.getSession(link.inspectorId) : undefined;
  const admitted = admit(deps, req, link, session);
  if ('refusal' in admitted) return refuse(deps, req, admitted.refusal, admitted.inspectorId);
  const outcome = await callGateway(deps, req, admitted.session, (s) =>
    deps.gateway.forceReleaseCall(s, job.callId),
  );
  const thread = await deps.notifier.report(job.slack, outcome);
  await audit(deps, req, outcome, admitted.inspectorId, deps.now() - started, thread);
  return outcome;
}

import { createHash } from 'node:crypto';
import type { SlackContext } from '../../qc/model';
import { groupIdOf, type Job } from '../../queue/jobs';
import type { AckDeps } from '../deps';

export type JobSpec = Job extends infer J
  ? J extends Job
    ? Omit<J, 'v' | 'requestId' | 'slack' | 'requestedAt'>
    : never
  : never;

/** A stable id for one Slack request: the same delivery retried gives the same id. */
export function requestIdOf(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 64);
}

/** Hand a job to the worker (SQS FIFO: per-inspector order, deduplicated by request). */
export async function enqueue(
  deps: AckDeps,
  slack: SlackContext,
  requestId: string,
  spec: JobSpec,
): Promise<void> {
  const job = { ...spec, v: 1, requestId, slack, requestedAt: deps.now() } as Job;
  await deps.queue.send(job, { groupId: groupIdOf(job), deduplicationId: requestId });
}

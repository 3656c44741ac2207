import { processJob } from '../qc/process-job';
import { parseJob } from '../queue/jobs';
import type { SqsEvent } from '../queue/types';
import type { WorkerDeps } from './worker-deps';

/**
 * SQS → processJob, one record at a time (batch size 1 in AWS). A job that throws is answered in
 * words and not retried: its idempotency claim is already taken, so a retry could not run it anyway.
 */
export function createWorkerHandler(deps: WorkerDeps) {
  return async (event: SqsEvent): Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }> => {
    for (const record of event.Records) {
      const job = parseJob(record.body);
      if (!job) {
        deps.logger.error({ messageId: record.messageId }, 'queue message is not a qc-slack job; dropped');
        continue;
      }
      try {
        await processJob(deps, job);
      } catch (err) {
        await reportFailure(deps, job, err);
      }
    }
    return { batchItemFailures: [] };
  };
}

async function reportFailure(deps: WorkerDeps, job: NonNullable<ReturnType<typeof parseJob>>, err: unknown) {
  deps.logger.error(
    { request: job.requestId, kind: job.kind, error: (err as Error).name, msg: (err as Error).message },
    'job failed',
  );
  await deps.store.finish(job.requestId, { status: 'failed' }).catch(() => {});
  await deps.notifier
    .tell(job.slack, {
      kind: 'text',
      text: ':warning: qc-slack hit an internal error on this request. Check `/qc status` before trying again (the gateway may or may not have acted).',
    })
    .catch(() => {});
}

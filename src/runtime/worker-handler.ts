import { errorSummary } from '../errors';
import { JobFailure } from '../qc/job-failure';
import { processJob } from '../qc/process-job';
import { type Job, parseJob } from '../queue/jobs';
import type { SqsEvent, SqsRecord } from '../queue/types';
import { isTransient } from './transient';
import type { WorkerDeps } from './worker-deps';

type BatchResponse = { batchItemFailures: Array<{ itemIdentifier: string }> };

/**
 * SQS → processJob, one record at a time (batch size 1 in AWS). A failure is reported back to SQS
 * (`batchItemFailures`: the message comes back, and after the last receive goes to the dead-letter
 * queue) only when a retry can help and cannot repeat a gateway request: a transient Slack or
 * DynamoDB error before any gateway request (the job's claim is given back first). Every other
 * failure, and the last receive, is answered in words.
 */
export function createWorkerHandler(deps: WorkerDeps) {
  return async (event: SqsEvent): Promise<BatchResponse> => {
    const batchItemFailures: BatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const job = parseJob(record.body);
      if (!job) {
        deps.logger.error({ messageId: record.messageId }, 'queue message is not a qc-slack job; dropped');
        continue;
      }
      try {
        await processJob(deps, job);
      } catch (err) {
        const failure =
          err instanceof JobFailure ? err : new JobFailure(err, { claimed: false, mayHaveApplied: true });
        if (await handleFailure(deps, job, record, failure))
          batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

/** True when the message should come back (or, on its last receive, go to the dead-letter queue). */
async function handleFailure(
  deps: WorkerDeps,
  job: Job,
  record: SqsRecord,
  failure: JobFailure,
): Promise<boolean> {
  const retryable = !failure.mayHaveApplied && isTransient(failure.cause);
  const receives = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
  const last = receives >= (deps.limits?.maxReceiveCount ?? 3);
  const log = {
    request: job.requestId,
    kind: job.kind,
    receives,
    err: errorSummary(failure.cause),
    msg: failure.message,
  };
  if (retryable && !last) {
    const released = failure.claimed ? await giveBack(deps, job) : true;
    if (released) {
      deps.logger.warn(log, 'job failed (transient); SQS will retry it');
      return true;
    }
  }
  deps.logger.error({ ...log, mayHaveApplied: failure.mayHaveApplied }, 'job failed');
  if (failure.claimed)
    await deps.store.finish(job.requestId, { status: 'failed' }).catch((err: unknown) =>
      // Left in progress, the claim turns stale after the worker timeout: a redelivery then says
      // "outcome unknown" rather than running it again.
      deps.logger.error({ request: job.requestId, err: errorSummary(err) }, 'claim not finished'),
    );
  await tellFailed(deps, job, failure.mayHaveApplied);
  return retryable;
}

/** Give the claim back so that the retry can run; false when that failed (then no retry). */
async function giveBack(deps: WorkerDeps, job: Job): Promise<boolean> {
  try {
    await deps.store.release(job.requestId);
    return true;
  } catch (err) {
    deps.logger.error({ request: job.requestId, err: errorSummary(err) }, 'claim not given back');
    return false;
  }
}

async function tellFailed(deps: WorkerDeps, job: Job, mayHaveApplied: boolean): Promise<void> {
  await deps.notifier.tell(job.slack, { kind: 'job-failed', mayHaveApplied }).catch((err: unknown) =>
    // Slack itself is failing: the error above is in the log; there is nobody else to tell.
    deps.logger.error({ request: job.requestId, err: errorSummary(err) }, 'failure not told'),
  );
}

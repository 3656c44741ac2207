import type { Job } from './jobs';

/** Sends jobs to the worker. SQS FIFO in AWS; an in-process FIFO locally (same ordering rules). */
export interface JobQueue {
  send(job: Job, opts: { groupId: string; deduplicationId: string }): Promise<void>;
}

/** The SQS event shape the worker handler receives (only what we read). */
export interface SqsRecord {
  messageId: string;
  body: string;
  attributes?: { MessageGroupId?: string; MessageDeduplicationId?: string; ApproximateReceiveCount?: string };
}
export interface SqsEvent {
  Records: SqsRecord[];
}

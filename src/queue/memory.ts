import { randomUUID } from 'node:crypto';
import type { Job } from './jobs';
import type { JobQueue, SqsEvent } from './types';

type Consumer = (
  event: SqsEvent,
) => Promise<{ batchItemFailures?: Array<{ itemIdentifier: string }> } | undefined | undefined>;

/**
 * The local stand-in for SQS FIFO: messages of one group are delivered one at a time in order,
 * groups run concurrently, a deduplication id seen in the last 5 minutes is dropped (as SQS
 * does), and a failed message is redelivered up to `maxReceives` times. The consumer receives
 * the same event shape Lambda gets from SQS. A message that waited longer than `retentionMs`
 * (default 60 s, the SQS queue's retention) is dropped unseen, as SQS drops expired messages.
 * A consumer answer with `batchItemFailures` naming the message counts as a failed receive.
 */
export class InProcessFifoQueue implements JobQueue {
  readonly #groups = new Map<string, Promise<void>>();
  readonly #seen = new Map<string, number>();
  readonly #consumer: Consumer;
  readonly #maxReceives: number;
  readonly #now: () => number;
  readonly #retentionMs: number;
  #inFlight = 0;
  #idle: Array<() => void> = [];
  /** Messages that failed every delivery (the DLQ). */
  readonly deadLetters: Array<{ body: string; groupId: string }> = [];
  sent = 0;
  deduplicated = 0;
  /** Messages dropped because they outlived the retention before their turn came. */
  expired = 0;

  constructor(
    consumer: Consumer,
    opts: { maxReceives?: number; now?: () => number; retentionMs?: number } = {},
  ) {
    this.#consumer = consumer;
    this.#maxReceives = opts.maxReceives ?? 3;
    this.#now = opts.now ?? Date.now;
    this.#retentionMs = opts.retentionMs ?? 60_000;
  }

  async send(job: Job, opts: { groupId: string; deduplicationId: string }): Promise<void> {
    const now = this.#now();
    for (const [id, at] of this.#seen) if (now - at > 300_000) this.#seen.delete(id);
    if (this.#seen.has(opts.deduplicationId)) {
      this.deduplicated++;
      return;
    }
    this.#seen.set(opts.deduplicationId, now);
    this.sent++;
    const body = JSON.stringify(job);
    this.#inFlight++;
    const previous = this.#groups.get(opts.groupId) ?? Promise.resolve();
    const next = previous.then(() => this.#deliver(body, opts.groupId, opts.deduplicationId, now));
    this.#groups.set(opts.groupId, next);
    void next.finally(() => {
      if (this.#groups.get(opts.groupId) === next) this.#groups.delete(opts.groupId);
      this.#inFlight--;
      if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
    });
  }

  /** Messages sent and not yet consumed (queued or running). */
  get pending(): number {
    return this.#inFlight;
  }

  /** Resolves when every sent message has been consumed (tests and benchmarks await this). */
  drained(): Promise<void> {
    return this.#inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }

  async #deliver(body: string, groupId: string, deduplicationId: string, sentAt: number): Promise<void> {
    const messageId = randomUUID();
    for (let receive = 1; receive <= this.#maxReceives; receive++) {
      if (this.#now() - sentAt > this.#retentionMs) {
        this.expired++;
        return;
      }
      try {
        const result = await this.#consumer({
          Records: [
            {
              messageId,
              body,
              attributes: {
                MessageGroupId: groupId,
                MessageDeduplicationId: deduplicationId,
                ApproximateReceiveCount: String(receive),
              },
            },
          ],
        });
        if (!result?.batchItemFailures?.some((f) => f.itemIdentifier === messageId)) return;
      } catch {
        // redelivered below, as SQS would after the visibility timeout
      }
    }
    this.deadLetters.push({ body, groupId });
  }
}

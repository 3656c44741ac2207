/**
 * The port through which a received alert is posted in Slack (Block Kit message, DynamoDB record,
 * chat.postMessage), and the two errors it may throw. The implementation lives elsewhere; receive.ts
 * only calls it with a validated alert.
 */
import type { AlertInput } from './payload';

export interface AlertPublisher {
  /**
   * Post the alert once per dedupeKey. A second call with the same key returns the first post with
   * `duplicate: true` and posts nothing.
   */
  publish(
    alert: AlertInput,
    dedupeKey: string,
  ): Promise<{ alertId: string; channel: string; ts: string; duplicate: boolean }>;
}

/** The bot cannot post in the alert's channel (`not_in_channel`, `channel_not_found`, `is_archived`, …). */
export class AlertChannelError extends Error {
  readonly code: string;
  constructor(
    code: string,
    message = `Slack refused to post in the channel: ${code}`,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AlertChannelError';
    this.code = code;
  }
}

/**
 * Slack refused the alert's content (`invalid_blocks`, `msg_too_long`, `msg_blocks_too_long`, …): the
 * same alert would be refused again, so the sender must not retry it as it is.
 */
export class AlertContentError extends Error {
  readonly code: string;
  constructor(code: string, options?: ErrorOptions) {
    super(`Slack refused the alert's content: ${code}`, options);
    this.name = 'AlertContentError';
    this.code = code;
  }
}

/** Slack or the store failed in a way that may pass: the sender should try again later. */
export class AlertPublishError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AlertPublishError';
  }
}

/** The same signed alert is being posted by a concurrent request right now: retry in a moment. */
export class AlertInProgressError extends AlertPublishError {
  constructor() {
    super('the same alert is being posted right now; retry in a moment');
    this.name = 'AlertInProgressError';
  }
}

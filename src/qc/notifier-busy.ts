/**
 * The notifier could not deliver in time (the chat service asked to wait longer than the caller can):
 * the message must wait for a later run. The Slack notifier throws its own subclass (SlackBusyError).
 */
export class NotifierBusyError extends Error {
  override readonly name: string = 'NotifierBusyError';
  constructor(
    message: string,
    /** Not before this (epoch ms). */
    readonly retryAt: number,
  ) {
    super(message);
  }
}

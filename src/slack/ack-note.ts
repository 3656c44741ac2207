import { errorSummary } from '../errors';
import type { Logger } from '../logger';
import type { SlackContext } from '../qc/model';

/**
 * The progress note a slash command's ack showed ("⏳ Intercepting 2005…"), answered once: the first
 * ephemeral answer takes its place (`replace_original`), and a result posted elsewhere (the channel, an
 * alert's thread) deletes it (`delete_original`), so no note stays behind its result. Only jobs whose
 * ack showed a note (`ackNote`) qualify: a click's response_url belongs to the clicked message.
 */
export class AckNotes {
  /** Requests whose note was answered already: a second answer is a message of its own. */
  readonly #answered = new WeakSet<SlackContext>();

  /** True (once per request) when this ephemeral answer should replace the note. */
  replaceOnce(ctx: SlackContext): boolean {
    if (!ctx.ackNote || !ctx.responseUrl || this.#answered.has(ctx)) return false;
    this.#answered.add(ctx);
    return true;
  }

  /** Delete the note (once per request), after the result went somewhere else. Never throws. */
  async remove(ctx: SlackContext, logger: Logger): Promise<void> {
    if (!ctx.responseUrl || !this.replaceOnce(ctx)) return;
    try {
      const res = await fetch(ctx.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ delete_original: true }),
      });
      if (!res.ok) logger.warn({ status: res.status }, 'the progress note could not be deleted');
    } catch (err) {
      // The result is posted; a note left behind is cosmetic: logged, not retried.
      logger.warn({ err: errorSummary(err) }, 'the progress note could not be deleted');
    }
  }
}

import type { WebClient } from '@slack/web-api';
import { exportAuditCsv } from '../audit/export';
import type { Logger } from '../gateway/logger';
import type { QcOutcome } from '../qc/outcome';
import type { AgentMonitor, HomeView, Notice, Notifier } from '../qc/ports';
import type { SlackContext } from '../queue/jobs';
import type { AlertRecord, ThreadRef } from '../store/types';
import { AckNotes } from './ack-note';
import { alertMessage } from './blocks/alert';
import { homeView } from './blocks/home';
import { context, message, type SlackMessage } from './blocks/kit';
import { noticeMessage } from './blocks/notices';
import { outcomeMessage } from './blocks/qc-outcome';
import { CHANNEL_OUT_OF_REACH, slackErrorCode } from './web-api-errors';

const MESSAGE_GONE = new Set([
  'message_not_found',
  'cant_update_message',
  'channel_not_found',
  'is_archived',
]);

/** Requests from the App Home tab carry the user ID where a channel would be. */
const isUserId = (id: string) => /^[UW]/.test(id);

/** Slack's error code, or the error's name for failures that never reached Slack (for logs). */
function slackError(err: unknown): string {
  return slackErrorCode(err) ?? (err as Error)?.name ?? 'error';
}

/** The Notifier on Slack's Web API (and response_url for ephemeral answers). */
export class SlackNotifier implements Notifier {
  readonly #client: WebClient;
  readonly #logger: Logger;
  readonly #dmChannels = new Map<string, string>();
  readonly #botName: string;
  readonly #ackNotes = new AckNotes();

  constructor(client: WebClient, logger: Logger, opts: { botName?: string } = {}) {
    this.#client = client;
    this.#logger = logger;
    this.#botName = opts.botName ?? 'qc-slack';
  }

  async report(
    ctx: SlackContext,
    outcome: QcOutcome,
    opts: { thread?: ThreadRef } = {},
  ): Promise<ThreadRef | null> {
    const msg = outcomeMessage(outcome, ctx.userId);
    // Inside an alert's thread, or to the requester alone, no thread of its own follows.
    const noThread = outcomeMessage(outcome, ctx.userId, { followUp: 'none' });
    if (!msg.inChannel) {
      await this.#ephemeral(ctx, msg);
      return null;
    }
    if (opts.thread) {
      // A click on an alert: the result (and then the events) go to the alert's thread.
      try {
        await this.#client.chat.postMessage({
          channel: opts.thread.channel,
          thread_ts: opts.thread.ts,
          text: noThread.text,
          blocks: noThread.blocks as never,
        });
        await this.#ackNotes.remove(ctx, this.#logger);
        return opts.thread;
      } catch (err) {
        this.#logger.warn(
          { error: slackError(err) },
          'result could not go to the alert thread; posting in the channel',
        );
      }
    }
    try {
      const res = await this.#client.chat.postMessage({
        channel: isUserId(ctx.channelId) ? await this.#dmChannel(ctx.teamId, ctx.userId) : ctx.channelId,
        text: msg.text,
        blocks: msg.blocks as never,
      });
      await this.#ackNotes.remove(ctx, this.#logger);
      if (res.ts && res.channel) return { channel: res.channel, ts: res.ts };
      return null;
    } catch (err) {
      const code = slackError(err);
      this.#logger.warn({ channel: ctx.channelId, error: code }, 'result could not be posted in the channel');
      const hint = CHANNEL_OUT_OF_REACH.has(code)
        ? `I can't post in this channel (${code}). Invite me with \`/invite @${this.#botName}\` so the channel sees results; until then only you see them, and follow-up events come as DMs.`
        : `Slack refused the channel post (${code}); only you see this result.`;
      await this.#ephemeral(ctx, {
        text: `${noThread.text}\n${hint}`,
        blocks: [...noThread.blocks, context(`:information_source: ${hint}`)],
      });
      return null;
    }
  }

  async updateAlert(alert: AlertRecord, monitors: AgentMonitor[] = []): Promise<'updated' | 'gone'> {
    const msg = alertMessage(alert, monitors);
    try {
      await this.#client.chat.update({
        channel: alert.channel,
        ts: alert.ts,
        text: msg.text,
        blocks: msg.blocks as never,
      });
      return 'updated';
    } catch (err) {
      const code = slackError(err);
      if (MESSAGE_GONE.has(code)) {
        this.#logger.warn({ alert: alert.alertId, error: code }, 'alert message is gone; no more updates');
        return 'gone';
      }
      throw err;
    }
  }

  async publishHome(_teamId: string, view: HomeView): Promise<void> {
    await this.#client.views.publish({ user_id: view.userId, view: homeView(view) as never });
  }

  async tell(ctx: SlackContext, notice: Notice): Promise<void> {
    await this.#ephemeral(ctx, noticeMessage(notice));
  }

  async sendFile(
    ctx: SlackContext,
    file: { filename: string; title: string; content: string; comment: string },
  ): Promise<void> {
    const channelId = await this.#dmChannel(ctx.teamId, ctx.userId);
    await exportAuditCsv(this.#client, {
      userId: ctx.userId,
      channelId,
      csv: file.content,
      filename: file.filename,
      title: file.title,
      initialComment: file.comment,
    });
    await this.#ephemeral(ctx, message(`:page_facing_up: Sent you ${file.filename} in our DM.`));
  }

  async dm(teamId: string, userId: string, notice: Notice): Promise<void> {
    const msg = noticeMessage(notice);
    const channel = await this.#dmChannel(teamId, userId);
    await this.#client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks as never });
  }

  async threadReply(
    target: { thread?: ThreadRef; teamId: string; userId: string },
    lines: string[],
    replyTs?: string,
  ): Promise<string> {
    const text = lines.join('\n');
    const channel = target.thread?.channel ?? (await this.#dmChannel(target.teamId, target.userId));
    if (replyTs) {
      try {
        await this.#client.chat.update({ channel, ts: replyTs, text });
        return replyTs;
      } catch (err) {
        if (slackError(err) !== 'message_not_found') throw err;
        // The reply was deleted: post a fresh one.
      }
    }
    const res = await this.#client.chat.postMessage({
      channel,
      text,
      ...(target.thread ? { thread_ts: target.thread.ts } : {}),
    });
    return res.ts ?? '';
  }

  async #dmChannel(teamId: string, userId: string): Promise<string> {
    const key = `${teamId}:${userId}`;
    const known = this.#dmChannels.get(key);
    if (known) return known;
    const res = await this.#client.conversations.open({ users: userId });
    const id = res.channel?.id;
    if (!id) throw new Error('conversations.open returned no channel');
    this.#dmChannels.set(key, id);
    return id;
  }

  async #ephemeral(ctx: SlackContext, msg: SlackMessage): Promise<void> {
    if (ctx.responseUrl) {
      try {
        const res = await fetch(ctx.responseUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            response_type: 'ephemeral',
            // The first answer to a command takes the place of its progress note (ack-note.ts).
            replace_original: this.#ackNotes.replaceOnce(ctx),
            text: msg.text,
            blocks: msg.blocks,
          }),
        });
        if (res.ok) return;
        this.#logger.warn(
          { status: res.status },
          'response_url refused the answer; trying chat.postEphemeral',
        );
      } catch (err) {
        this.#logger.warn(
          { error: (err as Error).name },
          'response_url unreachable; trying chat.postEphemeral',
        );
      }
    }
    if (isUserId(ctx.channelId)) {
      // From the App Home tab: no channel, so the answer is a DM.
      const channel = await this.#dmChannel(ctx.teamId, ctx.userId);
      await this.#client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks as never });
      return;
    }
    try {
      await this.#client.chat.postEphemeral({
        channel: ctx.channelId,
        user: ctx.userId,
        text: msg.text,
        blocks: msg.blocks as never,
      });
    } catch (err) {
      // Last resort: a DM always reaches the user.
      this.#logger.warn({ error: slackError(err) }, 'ephemeral answer failed; sending a DM');
      const channel = await this.#dmChannel(ctx.teamId, ctx.userId);
      await this.#client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks as never });
    }
  }
}

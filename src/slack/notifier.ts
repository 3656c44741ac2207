import type { WebClient } from '@slack/web-api';
import type { Logger } from '../gateway/logger';
import type { QcOutcome } from '../qc/outcome';
import type { Notice, Notifier } from '../qc/ports';
import type { SlackContext } from '../queue/jobs';
import type { ThreadRef } from '../store/types';
import { context, type SlackMessage } from './blocks/kit';
import { noticeMessage } from './blocks/notices';
import { outcomeMessage } from './blocks/qc-outcome';

const CHANNEL_OUT_OF_REACH = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
]);

function slackError(err: unknown): string {
  const data = (err as { data?: { error?: unknown } })?.data;
  return typeof data?.error === 'string' ? data.error : ((err as Error)?.name ?? 'error');
}

/** The Notifier on Slack's Web API (and response_url for ephemeral answers). */
export class SlackNotifier implements Notifier {
  readonly #client: WebClient;
  readonly #logger: Logger;
  readonly #dmChannels = new Map<string, string>();
  readonly #botName: string;

  constructor(client: WebClient, logger: Logger, opts: { botName?: string } = {}) {
    this.#client = client;
    this.#logger = logger;
    this.#botName = opts.botName ?? 'qc-slack';
  }

  async report(ctx: SlackContext, outcome: QcOutcome): Promise<ThreadRef | null> {
    const msg = outcomeMessage(outcome, ctx.userId);
    if (!msg.inChannel) {
      await this.#ephemeral(ctx, msg);
      return null;
    }
    try {
      const res = await this.#client.chat.postMessage({
        channel: ctx.channelId,
        text: msg.text,
        blocks: msg.blocks as never,
      });
      if (res.ts && res.channel) return { channel: res.channel, ts: res.ts };
      return null;
    } catch (err) {
      const code = slackError(err);
      this.#logger.warn({ channel: ctx.channelId, error: code }, 'result could not be posted in the channel');
      const hint = CHANNEL_OUT_OF_REACH.has(code)
        ? `I can't post in this channel (${code}). Invite me with \`/invite @${this.#botName}\` so the channel sees results; until then only you see them, and follow-up events come as DMs.`
        : `Slack refused the channel post (${code}); only you see this result.`;
      await this.#ephemeral(ctx, {
        text: `${msg.text}\n${hint}`,
        blocks: [...msg.blocks, context(`:information_source: ${hint}`)],
      });
      return null;
    }
  }

  async tell(ctx: SlackContext, notice: Notice): Promise<void> {
    await this.#ephemeral(ctx, noticeMessage(notice));
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
            replace_original: false,
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

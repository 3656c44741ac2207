import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../errors';
import type { Logger } from '../logger';
import type { FloorView } from '../qc/floor';
import type { SlackContext } from '../qc/model';
import type { QcOutcome } from '../qc/outcome';
import type { AgentMonitor, HomeView, Notice, Notifier } from '../qc/ports';
import type { AlertRecord, KeptPost, KeptPosts, ThreadRef } from '../store/types';
import { AckNotes } from './ack-note';
import { exportAuditCsv } from './audit-export';
import { alertMessage } from './blocks/alert';
import { floorMessage } from './blocks/floor';
import { homeView } from './blocks/home';
import { type Block, context, message, type SlackMessage } from './blocks/kit';
import { noticeMessage } from './blocks/notices';
import { outcomeMessage } from './blocks/qc-outcome';
import { laneOf, Pacer, type PacingOptions, SlackBusyError } from './pacing';
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
  return slackErrorCode(err) ?? errorSummary(err).name;
}

/**
 * A kept post as the table gives it back: its blocks are the Block Kit this notifier kept (#keep), which
 * the store holds as opaque JSON (`unknown[]`, the store knows no Slack types).
 */
const keptPost = (post: KeptPost): ChannelPost => ({ ...post, blocks: post.blocks as Block[] | undefined });

export interface SlackNotifierOptions {
  botName?: string;
  /** Pacing per channel and per method (pacing.ts); one pacer per notifier, i.e. per container. */
  pacing?: PacingOptions;
  /** How long one call may wait for its turn and Slack's Retry-After. Default 15 s: with a gateway call (5 s) inside the worker's 30 s. */
  budgetMs?: number;
  /** Where channel messages wait when Slack cannot take them within the budget; the keeper posts them. */
  kept?: KeptPosts;
  now?: () => number;
}

/** A channel message: a QC result (or a line for the keeper to post later). */
type ChannelPost = { channel: string; threadTs?: string; text: string; blocks?: Block[] };

/** The Notifier on Slack's Web API (and response_url for ephemeral answers). */
export class SlackNotifier implements Notifier {
  readonly #client: WebClient;
  readonly #logger: Logger;
  readonly #dmChannels = new Map<string, string>();
  readonly #botName: string;
  readonly #ackNotes = new AckNotes();
  readonly #pacer: Pacer;
  readonly #budgetMs: number;
  readonly #kept: KeptPosts | undefined;
  readonly #now: () => number;

  constructor(client: WebClient, logger: Logger, opts: SlackNotifierOptions = {}) {
    this.#client = client;
    this.#logger = logger;
    this.#botName = opts.botName ?? 'qc-slack';
    this.#now = opts.now ?? Date.now;
    this.#pacer = new Pacer({ now: this.#now, ...opts.pacing });
    this.#pacer.onRateLimited = (lane, retryAfter) =>
      this.#logger.info({ lane, retryAfter }, 'Slack rate limit: waiting its Retry-After');
    this.#budgetMs = opts.budgetMs ?? 15_000;
    this.#kept = opts.kept;
  }

  /**
   * One Web API call in its lane's turn (per channel for posts, per method for Tier 3); a 429 holds
   * the lane for its Retry-After and the call is made again, until `deadline`: then SlackBusyError.
   */
  async #call<T>(
    method: string,
    channel: string | undefined,
    fn: () => Promise<T>,
    deadline?: number,
  ): Promise<T> {
    const lane = laneOf(method, channel) ?? `free:${method}`;
    return this.#pacer.run(lane, deadline ?? this.#now() + this.#budgetMs, fn);
  }

  /** chat.postMessage in the channel's turn; its ts. */
  async #post(p: ChannelPost, deadline?: number): Promise<{ channel: string; ts: string } | null> {
    const res = await this.#call(
      'chat.postMessage',
      p.channel,
      () =>
        this.#client.chat.postMessage({
          channel: p.channel,
          text: p.text,
          ...(p.blocks ? { blocks: p.blocks } : {}),
          ...(p.threadTs ? { thread_ts: p.threadTs } : {}),
        }),
      deadline,
    );
    return res.ts && res.channel ? { channel: res.channel, ts: res.ts } : null;
  }

  /** Slack cannot take the post within the budget: keep it for the keeper (true), if there is a store. */
  async #keep(p: ChannelPost): Promise<boolean> {
    if (!this.#kept) return false;
    await this.#kept.keep({ id: randomUUID(), at: this.#now(), ...p });
    this.#logger.warn({ channel: p.channel }, 'Slack rate limit: result kept; the keeper posts it');
    return true;
  }

  /**
   * Post the kept channel messages, oldest first, until `deadline` or Slack's limit; each removed once
   * Slack took it (or refused it for good). Returns how many are left behind (0: all posted).
   */
  async deliverKept(deadline: number): Promise<number> {
    if (!this.#kept) return 0;
    const posts = await this.#kept.list(50);
    for (const [i, post] of posts.entries()) {
      try {
        await this.#post(keptPost(post), deadline);
      } catch (err) {
        if (err instanceof SlackBusyError) return posts.length - i;
        const code = slackErrorCode(err);
        if (!code) throw err; // not Slack's answer (network): the next run tries again
        this.#logger.warn({ channel: post.channel, error: code }, 'Slack refused a kept post for good');
      }
      await this.#kept.remove(post);
    }
    return 0;
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
      const post = {
        channel: opts.thread.channel,
        threadTs: opts.thread.ts,
        text: noThread.text,
        blocks: noThread.blocks,
      };
      try {
        await this.#post(post);
        await this.#ackNotes.remove(ctx, this.#logger);
        return opts.thread;
      } catch (err) {
        if (err instanceof SlackBusyError && (await this.#keep(post))) return opts.thread;
        this.#logger.warn(
          { error: slackError(err) },
          'result could not go to the alert thread; posting in the channel',
        );
      }
    }
    let post: ChannelPost | undefined;
    try {
      const channel = isUserId(ctx.channelId) ? await this.#dmChannel(ctx.teamId, ctx.userId) : ctx.channelId;
      post = { channel, text: msg.text, blocks: msg.blocks };
      const posted = await this.#post(post);
      await this.#ackNotes.remove(ctx, this.#logger);
      return posted;
    } catch (err) {
      // Not lost: kept in the table and posted by the keeper (its events go to the DM meanwhile).
      if (err instanceof SlackBusyError && post && (await this.#keep(post))) return null;
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
      await this.#call('chat.update', alert.channel, () =>
        this.#client.chat.update({
          channel: alert.channel,
          ts: alert.ts,
          text: msg.text,
          blocks: msg.blocks,
        }),
      );
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

  async postFloor(
    ctx: SlackContext,
    where: 'dm' | 'channel',
    view: FloorView,
  ): Promise<{ channel: string; ts: string; permalink?: string }> {
    const msg = floorMessage(view);
    const channel = where === 'dm' ? await this.#dmChannel(ctx.teamId, ctx.userId) : ctx.channelId;
    const posted = await this.#post({ channel, text: msg.text, blocks: msg.blocks });
    if (!posted) throw new Error('chat.postMessage returned no ts');
    const permalink = await this.#call('chat.getPermalink', undefined, () =>
      this.#client.chat.getPermalink({ channel: posted.channel, message_ts: posted.ts }),
    ).then(
      (res) => res.permalink,
      (err: unknown) => {
        // The floor is posted; without a link the answer still says where it is.
        this.#logger.warn({ err: errorSummary(err) }, 'no permalink for the floor message');
        return undefined;
      },
    );
    return { ...posted, ...(permalink ? { permalink } : {}) };
  }

  async updateFloor(
    at: { channel: string; ts: string },
    view: FloorView,
    deadline?: number,
  ): Promise<'updated' | 'gone'> {
    const msg = floorMessage(view);
    try {
      await this.#call(
        'chat.update',
        at.channel,
        () =>
          this.#client.chat.update({ channel: at.channel, ts: at.ts, text: msg.text, blocks: msg.blocks }),
        deadline,
      );
      return 'updated';
    } catch (err) {
      if (MESSAGE_GONE.has(slackError(err))) return 'gone';
      throw err;
    }
  }

  async publishHome(_teamId: string, view: HomeView): Promise<void> {
    await this.#call('views.publish', undefined, () =>
      this.#client.views.publish({ user_id: view.userId, view: homeView(view) }),
    );
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
    await this.#post({ channel, text: msg.text, blocks: msg.blocks });
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
        await this.#call('chat.update', channel, () =>
          this.#client.chat.update({ channel, ts: replyTs, text }),
        );
        return replyTs;
      } catch (err) {
        if (slackError(err) !== 'message_not_found') throw err;
        // The reply was deleted: post a fresh one.
      }
    }
    const res = await this.#post({ channel, text, ...(target.thread ? { threadTs: target.thread.ts } : {}) });
    return res?.ts ?? '';
  }

  async #dmChannel(teamId: string, userId: string): Promise<string> {
    const key = `${teamId}:${userId}`;
    const known = this.#dmChannels.get(key);
    if (known) return known;
    const res = await this.#call('conversations.open', undefined, () =>
      this.#client.conversations.open({ users: userId }),
    );
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
        this.#logger.warn({ err: errorSummary(err) }, 'response_url unreachable; trying chat.postEphemeral');
      }
    }
    if (isUserId(ctx.channelId)) {
      // From the App Home tab: no channel, so the answer is a DM.
      const channel = await this.#dmChannel(ctx.teamId, ctx.userId);
      await this.#client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks });
      return;
    }
    try {
      await this.#client.chat.postEphemeral({
        channel: ctx.channelId,
        user: ctx.userId,
        text: msg.text,
        blocks: msg.blocks,
      });
    } catch (err) {
      // Last resort: a DM always reaches the user.
      this.#logger.warn({ error: slackError(err) }, 'ephemeral answer failed; sending a DM');
      const channel = await this.#dmChannel(ctx.teamId, ctx.userId);
      await this.#client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks });
    }
  }
}

/**
 * WebClient options for a client the notifier drives: a 429 comes back to the notifier (which holds the
 * channel's or method's lane for its Retry-After and tries again, keeping order) instead of WebClient
 * retrying it on its own (which pauses every call and gives up after `retries`).
 */
export const NOTIFIER_WEB_OPTIONS = { rejectRateLimitedCalls: true } as const;

import type { FloorView } from '../../src/qc/floor';
import type { SlackContext } from '../../src/qc/model';
import type { QcOutcome } from '../../src/qc/outcome';
import type { Notice, Notifier } from '../../src/qc/ports';
import type { AlertRecord, ThreadRef } from '../../src/store/types';

/**
 * A Notifier that keeps what qc/ told whom. Results (gateway answers, transport failures, take-over
 * steps) "go to the channel" and get a thread (`ts-1`, `ts-2`…); refusals are ephemeral (no thread), as the Slack
 * notifier does. `failDm` makes every DM fail as a refused Slack call would.
 */
export class RecordingNotifier implements Notifier {
  readonly reports: Array<{ ctx: SlackContext; outcome: QcOutcome; thread?: ThreadRef }> = [];
  readonly tells: Array<{ ctx: SlackContext; notice: Notice }> = [];
  readonly dms: Array<{ teamId: string; userId: string; notice: Notice }> = [];
  readonly alerts: AlertRecord[] = [];
  readonly replies: Array<{ lines: string[]; thread?: ThreadRef }> = [];
  /** Floor messages posted and redrawn, in order (`at` is channel:ts). */
  readonly floors: Array<{ at: string; view: FloorView; posted?: true }> = [];
  failDm = false;
  #ts = 0;

  async report(ctx: SlackContext, outcome: QcOutcome, opts: { thread?: ThreadRef } = {}) {
    this.reports.push({ ctx, outcome, ...(opts.thread ? { thread: opts.thread } : {}) });
    const toChannel = ['gateway', 'transport', 'takeover'].includes(outcome.kind);
    if (!toChannel) return null;
    return opts.thread ?? { channel: ctx.channelId, ts: `ts-${++this.#ts}` };
  }
  async updateAlert(alert: AlertRecord): Promise<'updated' | 'gone'> {
    this.alerts.push(alert);
    return 'updated';
  }
  async postFloor(ctx: SlackContext, where: 'dm' | 'channel', view: FloorView) {
    const posted = { channel: where === 'dm' ? `D-${ctx.userId}` : ctx.channelId, ts: `ts-${++this.#ts}` };
    this.floors.push({ at: `${posted.channel}:${posted.ts}`, view, posted: true });
    return posted;
  }
  async updateFloor(at: { channel: string; ts: string }, view: FloorView): Promise<'updated' | 'gone'> {
    this.floors.push({ at: `${at.channel}:${at.ts}`, view });
    return 'updated';
  }
  async publishHome(): Promise<void> {}
  async tell(ctx: SlackContext, notice: Notice): Promise<void> {
    this.tells.push({ ctx, notice });
  }
  async sendFile(): Promise<void> {}
  async dm(teamId: string, userId: string, notice: Notice): Promise<void> {
    if (this.failDm) throw Object.assign(new Error('slack said no'), { name: 'SlackApiError' });
    this.dms.push({ teamId, userId, notice });
  }
  async threadReply(target: { thread?: ThreadRef }, lines: string[], replyTs?: string): Promise<string> {
    this.replies.push({ lines, ...(target.thread ? { thread: target.thread } : {}) });
    return replyTs ?? `reply-${++this.#ts}`;
  }
}

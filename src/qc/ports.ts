import type { GatewayClient } from '../gateway/client';
import type { Logger } from '../gateway/logger';
import type { SlackContext } from '../queue/jobs';
import type { InspectorLink, MonitoringRecord, SessionRecord, Store, ThreadRef } from '../store/types';
import type { QcOutcome } from './outcome';

/** A notice that is not a QC outcome (session ended, status, link changes…). */
export type Notice =
  | { kind: 'session-ended'; inspectorId: string; reason: string }
  | {
      kind: 'status';
      link?: InspectorLink;
      session?: SessionRecord;
      monitoring?: MonitoringRecord;
      now: number;
    }
  | { kind: 'text'; text: string };

/** How qc/ talks to people. Implemented on Slack's Web API in slack/notifier.ts. */
export interface Notifier {
  /**
   * Tell the requester what happened to a QC request. Results go to the channel (the thread to
   * follow is returned); refusals are ephemeral (null). When the channel is out of reach the
   * result goes to response_url with a hint to invite the bot, and null is returned.
   */
  report(ctx: SlackContext, outcome: QcOutcome): Promise<ThreadRef | null>;
  /** An ephemeral answer to the requester. */
  tell(ctx: SlackContext, notice: Notice): Promise<void>;
  /** A direct message to a Slack user (session ended while nobody was asking). */
  dm(teamId: string, userId: string, notice: Notice): Promise<void>;
  /**
   * Post or edit the folded thread reply: `lines` is the whole reply; `replyTs` edits it in place.
   * Without a thread the lines go to the inspector's DM. Returns the reply's ts.
   */
  threadReply(
    target: { thread?: ThreadRef; teamId: string; userId: string },
    lines: string[],
    replyTs?: string,
  ): Promise<string>;
}

export interface QcDeps {
  store: Store;
  gateway: GatewayClient;
  notifier: Notifier;
  logger: Logger;
  now: () => number;
}

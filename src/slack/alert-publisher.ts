import { createHash, randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { AlertInput } from '../alerts/payload';
import {
  AlertChannelError,
  AlertContentError,
  AlertInProgressError,
  AlertPublishError,
  type AlertPublisher,
} from '../alerts/publisher';
import { errorSummary } from '../errors';
import type { Logger } from '../logger';
import { agentMonitors } from '../qc/alert-actions';
import type { AgentMonitor } from '../qc/ports';
import { ALERT_CHECK_USER, groupIdOf, type Job } from '../queue/jobs';
import type { JobQueue } from '../queue/types';
import type { AlertRecord, AlertStore, IdempotencyStore, Store } from '../store/types';
import { alertMessage } from './blocks/alert';
import { CHANNEL_OUT_OF_REACH, slackErrorCode } from './web-api-errors';

/** Slack's answers to a message it will never take as it is (retrying the same alert cannot help). */
const CONTENT_REFUSED = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
  'too_many_attachments',
]);

/**
 * Posts a monitoring alert: the record first (so a click always finds it), then the Block Kit
 * message, then the message's ts on the record. One post per signed request (idempotency claim
 * on the signature): a sender's retry gets the first post back.
 */
export class SlackAlertPublisher implements AlertPublisher {
  constructor(
    private readonly deps: {
      client: WebClient;
      store: { alerts: AlertStore } & IdempotencyStore & Pick<Store, 'listMonitoring' | 'getSession'>;
      now: () => number;
      /** Where the alert-check job goes (is the agent on a call?); none: the alert keeps its buttons. */
      queue?: JobQueue;
      logger?: Logger;
    },
  ) {}

  /** The bot's team (the monitoring index is per team), asked once. */
  #team: Promise<string | undefined> | undefined;

  /**
   * Who monitors the agent already, however they started (so a new alert does not say "nobody").
   * Best effort: if Slack or the table cannot say, the alert goes out without them; the first click
   * redraws it with everyone.
   */
  async #monitorsOf(agentId: string): Promise<AgentMonitor[]> {
    try {
      this.#team ??= this.deps.client.auth.test().then((r) => r.team_id);
      const team = await this.#team;
      return team ? await agentMonitors({ store: this.deps.store }, team, agentId) : [];
    } catch {
      this.#team = undefined; // asked again next time
      return [];
    }
  }

  /** After posting: the worker checks whether the agent is on a call (λ alerts has no gateway session). */
  async #queueCheck(alertId: string, channel: string): Promise<void> {
    const { queue, now, logger } = this.deps;
    const teamId = queue ? await this.#team : undefined;
    if (!queue || !teamId) return;
    const requestId = `alert-check-${alertId}`;
    const job: Job = {
      kind: 'alert-check',
      alertId,
      v: 1,
      requestId,
      slack: { teamId, userId: ALERT_CHECK_USER, channelId: channel },
      requestedAt: now(),
    };
    try {
      await queue.send(job, { groupId: groupIdOf(job), deduplicationId: requestId });
    } catch (err) {
      // The alert is posted and answered: without the check it keeps its QC buttons, as before checks existed.
      logger?.warn({ alertId, err: errorSummary(err) }, 'alert check could not be queued');
    }
  }

  async publish(
    input: AlertInput,
    dedupeKey: string,
  ): Promise<{ alertId: string; channel: string; ts: string; duplicate: boolean }> {
    const { store, client, now } = this.deps;
    const key = `alert:${createHash('sha256').update(dedupeKey).digest('hex')}`;
    const claim = await store.claim(key, now(), 24 * 3600);
    if (claim.state === 'done') {
      const r = claim.result as { alertId?: string; channel?: string; ts?: string };
      if (r.alertId && r.channel && r.ts)
        return { alertId: r.alertId, channel: r.channel, ts: r.ts, duplicate: true };
    }
    if (claim.state === 'in-progress') throw new AlertInProgressError();

    const record: Omit<AlertRecord, 'version'> = {
      alertId: randomBytes(16).toString('base64url'),
      channel: input.channel,
      ts: '',
      agentId: input.agentId,
      reason: input.reason,
      severity: input.severity,
      ...(input.callId ? { callId: input.callId } : {}),
      ...(input.customer ? { customer: input.customer } : {}),
      ...(input.details ? { details: input.details } : {}),
      createdAt: now(),
      participants: {},
    };
    try {
      await store.alerts.putAlert(record);
      const msg = alertMessage({ ...record, version: 1 }, await this.#monitorsOf(record.agentId));
      let ts: string;
      let channel: string;
      try {
        const res = await client.chat.postMessage({
          channel: input.channel,
          text: msg.text,
          blocks: msg.blocks,
          unfurl_links: false,
        });
        ts = res.ts ?? '';
        channel = res.channel ?? input.channel;
      } catch (err) {
        const code = slackErrorCode(err);
        if (code && CHANNEL_OUT_OF_REACH.has(code)) throw new AlertChannelError(code);
        if (code && CONTENT_REFUSED.has(code)) throw new AlertContentError(code, { cause: err });
        throw new AlertPublishError(`Slack did not take the alert (${code ?? errorSummary(err).name})`, {
          cause: err,
        });
      }
      await store.alerts.saveAlert({ ...record, channel, ts, version: 1 });
      await store.finish(key, { alertId: record.alertId, channel, ts });
      await this.#queueCheck(record.alertId, channel);
      return { alertId: record.alertId, channel, ts, duplicate: false };
    } catch (err) {
      // Best effort: the failure thrown below is what the sender hears (a claim left in progress expires with its TTL).
      await store.release(key).catch(() => {});
      if (
        err instanceof AlertChannelError ||
        err instanceof AlertContentError ||
        err instanceof AlertPublishError
      )
        throw err;
      throw new AlertPublishError('the alert could not be stored', { cause: err });
    }
  }
}

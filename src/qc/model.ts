/**
 * The domain's words: what an inspector can ask for, how an inspector can be on an agent's call, and
 * where a request came from. qc/ owns them; the queue, the store and the Slack layer import them from here.
 */

export const QC_OPERATIONS = [
  'listen',
  'insert',
  'whisper',
  'stop',
  'intercept',
  'stop-whisper',
  'switch-listen',
  'switch-insert',
  'switch-whisper',
  'force-busy',
  'force-idle',
  'force-signout',
] as const;
export type QcOperation = (typeof QC_OPERATIONS)[number];

/** Every operation a request can ask for: the agent operations and releasing a call (by call ID). */
export type QcAction = QcOperation | 'release-call';

/** Operations that hit an agent who may be mid-call: Slack asks for a confirmation first. */
export const CONFIRMED_OPERATIONS = ['force-busy', 'force-idle', 'force-signout'] as const;

export interface SlackContext {
  teamId: string;
  userId: string;
  channelId: string;
  /** Where to answer when the channel is out of reach (ephemeral). */
  responseUrl?: string;
  /** The ack showed a progress note ("⏳ Intercepting 2005…"): the answer replaces or deletes it. */
  ackNote?: true;
}

/** How an inspector is on an agent's call: monitoring (listen, insert, whisper) or holding it (intercept). */
export type MonitorMode = 'listen' | 'insert' | 'whisper' | 'intercept';

/** The monitoring modes an inspector can switch between (the gateway's switch interface). */
export type SwitchMode = Exclude<MonitorMode, 'intercept'>;

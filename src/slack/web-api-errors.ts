/** What Slack's Web API errors mean to qc-slack (one place for the notifier and the alert publisher). */

/** The bot cannot post in that channel: invite it (or unarchive the channel). */
export const CHANNEL_OUT_OF_REACH: ReadonlySet<string> = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
]);

/** Slack's `error` code of a failed Web API call (`not_in_channel`, …), if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } })?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

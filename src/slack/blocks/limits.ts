/**
 * Slack's limits on what an app may send, in one table: the block builders cut their texts to it, and the
 * local Slack API (local/slack-api/validate.ts) rejects anything past it, with Slack's error names.
 * Figures from the JSDoc of @slack/types (which mirrors docs.slack.dev) unless noted; where Slack does not
 * document a figure, the table holds a value below every rejection reported, so the local API is at least
 * as strict as Slack. docs/slack-app.md "Limits qc-slack is built to" lists them with how each is met.
 */
export const LIMITS = {
  /** Blocks in one message (chat.*, response_url, command acks). */
  messageBlocks: 50,
  /** Blocks in a modal or the Home tab. */
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  /**
   * One text element of a context block. Slack's text object allows 3,000; some references give 2,000 for
   * context elements, so qc-slack holds them to the smaller figure.
   */
  contextText: 2000,
  headerText: 150,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
  confirmTitle: 100,
  confirmText: 300,
  /** The confirm and deny buttons of a confirmation dialog. */
  confirmButton: 30,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  /** plain_text_input `max_length` / `min_length` (and so its `initial_value`). */
  inputMaxLength: 3000,
  viewTitle: 24,
  /** A modal's submit and close buttons. */
  viewButton: 24,
  callbackId: 255,
  externalId: 255,
  privateMetadata: 3000,
  /**
   * The texts of all blocks of one message or view together. Slack rejects a message past an undocumented
   * total as `msg_blocks_too_long` (reported at ~11,300–13,300 characters; a maintainer spoke of 12,000
   * "with a buffer for block containers"): qc-slack stays under 10,000.
   */
  blocksText: 10_000,
  /**
   * A view's JSON. Slack answers `view_too_large` past an undocumented size; qc-slack's own bound, far
   * above any view it builds.
   */
  viewJson: 100_000,
  /** Top-level `text` of a message: Slack answers `msg_too_long` past it. */
  messageText: 40_000,
  /**
   * qc-slack's own cap on a message's top-level `text` (the notification and screen-reader fallback):
   * under Slack's advice to keep it to 4,000 characters.
   */
  fallbackText: 3000,
} as const;

export const ELLIPSIS = '…';

/** Plain text cut to `max` characters (UTF-16 units, as Slack counts), ending in "…" when cut. */
export function fitPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  // Never leave half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}${ELLIPSIS}`;
}

/**
 * Escaped mrkdwn cut to `max` characters, ending in "…" when cut, never inside an entity (`&amp;`) or a
 * mention/link (`<@U123>`), so the cut text still reads as Slack would show the whole.
 */
export function fitMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = fitPlain(text, max).slice(0, -1);
  const lt = cut.lastIndexOf('<');
  if (lt > cut.lastIndexOf('>')) cut = cut.slice(0, lt);
  const amp = cut.lastIndexOf('&');
  if (amp > cut.lastIndexOf(';')) cut = cut.slice(0, amp);
  return `${cut}${ELLIPSIS}`;
}

/** Slack mrkdwn must not let outside text make mentions or links: escape the three specials. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import { fitMrkdwn, fitPlain, LIMITS } from './limits';

/**
 * Tiny Block Kit builders (plain objects typed by @slack/types; types only, nothing loads on the ack
 * path). Each cuts what it is given to Slack's limits (limits.ts), ending a cut text in "…", so no text
 * can make Slack refuse a message; the texts given are escaped mrkdwn (see escapeMrkdwn).
 */
export type Block = KnownBlock;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: fitMrkdwn(text, LIMITS.sectionText) },
});
export const context = (...texts: string[]): ContextBlock => ({
  type: 'context',
  elements: texts
    .slice(0, LIMITS.contextElements)
    .map((text) => ({ type: 'mrkdwn', text: fitMrkdwn(text, LIMITS.contextText) })),
});

/**
 * `parts` joined by `sep`, as many as fit in `max` characters together with the "…and N more" that
 * `more(n)` words for the rest. Returns the text and how many parts it shows.
 */
export function joinWithin(
  parts: string[],
  sep: string,
  max: number,
  more: (rest: number) => string,
): { text: string; shown: number } {
  const all = parts.join(sep);
  if (all.length <= max) return { text: all, shown: parts.length };
  let shown = 0;
  let length = 0;
  for (const part of parts) {
    const next = length + (shown ? sep.length : 0) + part.length;
    const tail = sep.length + more(parts.length - shown - 1).length;
    if (next + tail > max) break;
    length = next;
    shown++;
  }
  const text = [...parts.slice(0, shown), more(parts.length - shown)].join(sep);
  return { text: fitMrkdwn(text, max), shown };
}

/**
 * Lines as consecutive sections, each within Slack's 3,000 characters, the lines together within
 * `budget` characters: the lines that did not fit are left out (`shown` says how many did).
 */
export function sectionsOf(lines: string[], budget: number): { blocks: Block[]; shown: number } {
  const blocks: Block[] = [];
  let current: string[] = [];
  let currentLength = 0;
  let used = 0;
  let shown = 0;
  for (const raw of lines) {
    const line = fitMrkdwn(raw, LIMITS.sectionText);
    if (used + line.length + 1 > budget) break;
    if (current.length && currentLength + 1 + line.length > LIMITS.sectionText) {
      blocks.push(section(current.join('\n')));
      current = [];
      currentLength = 0;
    }
    currentLength += (current.length ? 1 : 0) + line.length;
    current.push(line);
    used += line.length + 1;
    shown++;
  }
  if (current.length) blocks.push(section(current.join('\n')));
  return { blocks, shown };
}

export interface ButtonSpec {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny?: string };
}

export const actions = (blockId: string, buttons: ButtonSpec[]): ActionsBlock => ({
  type: 'actions',
  block_id: fitPlain(blockId, LIMITS.blockId),
  elements: buttons.slice(0, LIMITS.actionsElements).map(
    (b, i): Button => ({
      type: 'button',
      action_id: `${b.actionId}:${i}`,
      text: { type: 'plain_text', text: fitPlain(b.text, LIMITS.buttonText), emoji: true },
      value: b.value,
      ...(b.style ? { style: b.style } : {}),
      ...(b.confirm
        ? {
            confirm: {
              title: { type: 'plain_text', text: fitPlain(b.confirm.title, LIMITS.confirmTitle) },
              text: { type: 'mrkdwn', text: fitMrkdwn(b.confirm.text, LIMITS.confirmText) },
              confirm: { type: 'plain_text', text: fitPlain(b.confirm.confirm, LIMITS.confirmButton) },
              deny: { type: 'plain_text', text: fitPlain(b.confirm.deny ?? 'Cancel', LIMITS.confirmButton) },
              ...(b.style === 'danger' ? { style: 'danger' } : {}),
            },
          }
        : {}),
    }),
  ),
});

/** A message: `text` (escaped mrkdwn) is its notification/fallback text, cut to LIMITS.fallbackText. */
export function message(text: string, ...blocks: Block[]): SlackMessage {
  return { text: fitMrkdwn(text, LIMITS.fallbackText), blocks: blocks.length ? blocks : [section(text)] };
}

/** Action IDs the app listens to (a numeric suffix keeps them unique inside one block). */
export const ACTION = {
  qcOp: 'qc_op',
  alertOp: 'qc_alert',
  confirmOp: 'qc_confirm',
  cancel: 'qc_cancel',
  signOut: 'qc_signout',
  openSignIn: 'qc_open_signin',
  forceSignIn: 'qc_force_signin',
  alertCheck: 'qc_alert_check',
} as const;

export const ACTION_PATTERN = {
  qcOp: /^qc_op(:\d+)?$/,
  alertOp: /^qc_alert(:\d+)?$/,
  confirmOp: /^qc_confirm(:\d+)?$/,
  cancel: /^qc_cancel(:\d+)?$/,
  signOut: /^qc_signout(:\d+)?$/,
  openSignIn: /^qc_open_signin(:\d+)?$/,
  forceSignIn: /^qc_force_signin(:\d+)?$/,
  alertCheck: /^qc_alert_check(:\d+)?$/,
} as const;

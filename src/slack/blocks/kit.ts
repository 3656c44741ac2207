/** Tiny Block Kit builders (plain objects; no library on the ack path). */
export type Block = Record<string, unknown>;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });
export const context = (...texts: string[]): Block => ({
  type: 'context',
  elements: texts.map((text) => ({ type: 'mrkdwn', text })),
});

export interface ButtonSpec {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny?: string };
}

export const actions = (blockId: string, buttons: ButtonSpec[]): Block => ({
  type: 'actions',
  block_id: blockId,
  elements: buttons.map((b, i) => ({
    type: 'button',
    action_id: `${b.actionId}:${i}`,
    text: { type: 'plain_text', text: b.text, emoji: true },
    value: b.value,
    ...(b.style ? { style: b.style } : {}),
    ...(b.confirm
      ? {
          confirm: {
            title: { type: 'plain_text', text: b.confirm.title },
            text: { type: 'mrkdwn', text: b.confirm.text },
            confirm: { type: 'plain_text', text: b.confirm.confirm },
            deny: { type: 'plain_text', text: b.confirm.deny ?? 'Cancel' },
            ...(b.style === 'danger' ? { style: 'danger' } : {}),
          },
        }
      : {}),
  })),
});

export function message(text: string, ...blocks: Block[]): SlackMessage {
  return { text, blocks: blocks.length ? blocks : [section(text)] };
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
} as const;

export const ACTION_PATTERN = {
  qcOp: /^qc_op(:\d+)?$/,
  alertOp: /^qc_alert(:\d+)?$/,
  confirmOp: /^qc_confirm(:\d+)?$/,
  cancel: /^qc_cancel(:\d+)?$/,
  signOut: /^qc_signout(:\d+)?$/,
  openSignIn: /^qc_open_signin(:\d+)?$/,
  forceSignIn: /^qc_force_signin(:\d+)?$/,
} as const;

import type { InspectorLink } from '../../store/types';
import type { Block } from './kit';
import { escapeMrkdwn, fitMrkdwn, LIMITS } from './limits';

export const SIGNIN_CALLBACK = 'qc_signin_modal';
export const SIGNIN_BLOCK = { password: 'qc_password', phone: 'qc_phone', force: 'qc_force' } as const;
export const SIGNIN_ACTION = {
  password: 'password_input',
  phone: 'phone_input',
  force: 'force_input',
} as const;

/** The sign-in modal: password (never stored), phone prefilled from the link, optional forced sign-in. */
export function signInModal(opts: {
  inspectorId: string;
  phone?: string;
  force?: boolean;
  note?: string;
}): Block {
  return {
    type: 'modal',
    callback_id: SIGNIN_CALLBACK,
    private_metadata: JSON.stringify({ force: Boolean(opts.force) }),
    title: { type: 'plain_text', text: 'Sign in to the gateway' },
    submit: { type: 'plain_text', text: opts.force ? 'Force sign-in' : 'Sign in' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: fitMrkdwn(
            `Inspector *${opts.inspectorId}*. Your CTI password is sent to the gateway once and never stored.${opts.note ? `\n${escapeMrkdwn(opts.note)}` : ''}`,
            LIMITS.sectionText,
          ),
        },
      },
      {
        type: 'input',
        block_id: SIGNIN_BLOCK.password,
        label: { type: 'plain_text', text: 'CTI password' },
        element: { type: 'plain_text_input', action_id: SIGNIN_ACTION.password, max_length: 32 },
      },
      {
        type: 'input',
        block_id: SIGNIN_BLOCK.phone,
        optional: true,
        label: { type: 'plain_text', text: 'Soft-phone number (the gateway calls it when you monitor)' },
        element: {
          type: 'plain_text_input',
          action_id: SIGNIN_ACTION.phone,
          // A link's phone may be "+" and 24 digits: max_length below it makes Slack refuse the view.
          max_length: 25,
          ...(opts.phone ? { initial_value: opts.phone } : {}),
        },
      },
    ],
  };
}

/** The modal for a linked inspector, phone prefilled from the link. */
export function signInModalFor(link: InspectorLink): Block {
  return signInModal({ inspectorId: link.inspectorId, ...(link.phone ? { phone: link.phone } : {}) });
}

/** The shortcut's answer to a user who is not linked yet (a modal: shortcuts have no channel). */
export function notLinkedModal(): Block {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'qc-slack' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ':bust_in_silhouette: You are not linked to a CC-Gateway inspector ID yet. Ask a qc-slack admin to run `/qc link @you &lt;inspector-id&gt; [phone]`.',
        },
      },
    ],
  };
}

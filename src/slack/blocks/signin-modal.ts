import type { ModalView, PlainTextOption } from '@slack/types';
import { phonesOf } from '../../qc/phones';
import type { InspectorLink } from '../../store/types';
import { escapeMrkdwn, fitMrkdwn, LIMITS } from './limits';

export const SIGNIN_CALLBACK = 'qc_signin_modal';
export const SIGNIN_BLOCK = { password: 'qc_password', phone: 'qc_phone', force: 'qc_force' } as const;
export const SIGNIN_ACTION = {
  password: 'password_input',
  phone: 'phone_input',
  force: 'force_input',
} as const;

/**
 * The sign-in modal: password (never stored), and the soft-phone chosen among the numbers an admin
 * allowed for this inspector (the admin-set one first and preselected); never a free text field.
 */
export function signInModal(opts: {
  inspectorId: string;
  phones: readonly string[];
  phone?: string;
  force?: boolean;
  note?: string;
}): ModalView {
  const option = (p: string): PlainTextOption => ({ text: { type: 'plain_text', text: p }, value: p });
  const initial = opts.phone && opts.phones.includes(opts.phone) ? opts.phone : opts.phones[0];
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
        label: { type: 'plain_text', text: 'Soft-phone the gateway calls when you monitor' },
        hint: { type: 'plain_text', text: 'The numbers a qc-slack admin allowed for you (/qc link).' },
        element: {
          type: 'static_select',
          action_id: SIGNIN_ACTION.phone,
          options: opts.phones.map(option),
          ...(initial ? { initial_option: option(initial) } : {}),
        },
      },
    ],
  };
}

/** The modal for a linked inspector: their allowed phones, or why they cannot sign in yet. */
export function signInModalFor(link: InspectorLink): ModalView {
  const phones = phonesOf(link);
  if (phones.length === 0) return noPhoneModal(link.inspectorId);
  return signInModal({ inspectorId: link.inspectorId, phones });
}

/** No admin set a soft-phone for the inspector: nothing to submit; say who can fix it. */
export function noPhoneModal(inspectorId: string): ModalView {
  return {
    type: 'modal',
    // The sign-in's own callback: a submission forged from it still meets the sign-in's checks.
    callback_id: SIGNIN_CALLBACK,
    title: { type: 'plain_text', text: 'Sign in to the gateway' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:telephone: Inspector *${inspectorId}* has no soft-phone number yet, and the gateway needs one to sign you in. Ask a qc-slack admin to set your phone: \`/qc link @you ${inspectorId} &lt;phone&gt;\`.`,
        },
      },
    ],
  };
}

/** The shortcut's answer to a user who is not linked yet (a modal: shortcuts have no channel). */
export function notLinkedModal(): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'qc-slack' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ':bust_in_silhouette: You are not linked to a CC-Gateway inspector ID yet. Ask a qc-slack admin to run `/qc link @you &lt;inspector-id&gt; &lt;phone&gt;`.',
        },
      },
    ],
  };
}

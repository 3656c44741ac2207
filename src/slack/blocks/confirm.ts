import type { QcAction } from '../../qc/model';
import { OP_NAME, targetLabel } from '../../qc/monitoring';
import { confirmValue } from '../button-value';
import { ACTION, actions, context, message, type SlackMessage, section } from './kit';
import { escapeMrkdwn } from './limits';

const WHY: Partial<Record<QcAction, string>> = {
  'force-busy': 'The agent stops getting new calls until set idle again.',
  'force-idle': 'The agent becomes available for new calls at once.',
  'force-signout': 'The agent is signed out of the CC-Gateway and must sign in again.',
  'release-call': 'The call is dropped for everyone on it, customer included.',
};

/**
 * The confirm button's label: short (Slack allows 75 characters). Agent IDs are at most 7 digits; a call
 * ID may be 128 characters, so it is named in the question above the button, never on it.
 */
function confirmLabel(op: QcAction, target: string): string {
  return op === 'release-call' ? 'Yes, release the call' : `Yes, ${OP_NAME[op]} ${target}`;
}

/** "Are you sure?" for operations that hit an agent who may be mid-call. */
export function confirmMessage(op: QcAction, target: string): SlackMessage {
  const what = escapeMrkdwn(`${OP_NAME[op]} ${targetLabel(op, target)}`);
  return {
    text: message(`Confirm: ${what}? ${WHY[op] ?? ''}`).text,
    blocks: [
      section(`:warning: *${what.charAt(0).toUpperCase()}${what.slice(1)}?* ${WHY[op] ?? ''}`),
      context('They may be on a call right now. This is recorded in the audit.'),
      actions(`qc_confirm_${op}`, [
        {
          text: confirmLabel(op, target),
          actionId: ACTION.confirmOp,
          value: confirmValue(op, target),
          style: 'danger',
        },
        { text: 'Cancel', actionId: ACTION.cancel, value: 'cancel' },
      ]),
    ],
  };
}

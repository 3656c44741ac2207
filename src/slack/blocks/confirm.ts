import { OP_NAME, targetLabel } from '../../qc/monitoring';
import type { QcAction } from '../../queue/jobs';
import { confirmValue } from '../button-value';
import { ACTION, actions, context, type SlackMessage, section } from './kit';

const WHY: Partial<Record<QcAction, string>> = {
  'force-busy': 'The agent stops getting new calls until set idle again.',
  'force-idle': 'The agent becomes available for new calls at once.',
  'force-signout': 'The agent is signed out of the CC-Gateway and must sign in again.',
  'release-call': 'The call is dropped for everyone on it, customer included.',
};

/** "Are you sure?" for operations that hit an agent who may be mid-call. */
export function confirmMessage(op: QcAction, target: string): SlackMessage {
  const what = `${OP_NAME[op]} ${targetLabel(op, target)}`;
  return {
    text: `Confirm: ${what}? ${WHY[op] ?? ''}`,
    blocks: [
      section(`:warning: *${what.charAt(0).toUpperCase()}${what.slice(1)}?* ${WHY[op] ?? ''}`),
      context('They may be on a call right now. This is recorded in the audit.'),
      actions(`qc_confirm_${op}`, [
        {
          text: `Yes, ${OP_NAME[op]} ${target}`,
          actionId: ACTION.confirmOp,
          value: confirmValue(op, target),
          style: 'danger',
        },
        { text: 'Cancel', actionId: ACTION.cancel, value: 'cancel' },
      ]),
    ],
  };
}

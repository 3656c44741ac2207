import type { GatewayRequest, RequestNotice } from '../../qc/notice';
import { escapeMrkdwn } from './limits';
import type { NoticeWords } from './notices-account';

/**
 * The words of what became of a request in the worker (too old, outcome unknown, internal error,
 * unreadable audit words) and of `/qc signout`. Gateway words and queued IDs are escaped.
 */

const esc = escapeMrkdwn;

/** The request in the words the user typed it: `intercept 2005`, `release-call 1456-3`, `signout`. */
function requestName(r: GatewayRequest): string {
  if (r.op === 'signout') return 'signout';
  if (r.op === 'release-call') return `release-call ${esc(r.callId)}`;
  return `${r.op} ${esc(r.agentId)}`;
}

/** What to check before trying again a request whose outcome is unknown. */
function checkWords(r: GatewayRequest): string {
  if (r.op === 'signout') return '`/qc status`';
  if (r.op === 'release-call') return `whether call ${esc(r.callId)} is still up, and \`/qc status\``;
  return `\`/qc status\` and agent ${esc(r.agentId)}'s call`;
}

/** A word as it may be quoted back to the user: short, and unable to open a mention or a code span. */
const quote = (word: string) => `\`${esc(word.slice(0, 24).replace(/[`<>]/g, ''))}\``;

export const REQUEST_WORDS: NoticeWords<RequestNotice> = {
  'job-expired': (n) =>
    `:hourglass: \`${requestName(n.request)}\`: this request waited ${Math.round(n.ageMs / 1000)} s in the queue and was not run; send it again if you still want it.`,
  'job-outcome-unknown': (n) =>
    `:warning: \`${requestName(n.request)}\`: qc-slack stopped while the gateway was handling this request, so its outcome is unknown. It was not sent again. Check ${checkWords(n.request)} before you try again.`,
  'job-failed': (n) =>
    n.mayHaveApplied
      ? ':warning: qc-slack hit an internal error on this request. Check `/qc status` before trying again (the gateway may or may not have acted).'
      : ':warning: qc-slack hit an internal error on this request. Nothing was sent to the gateway; try again in a minute.',
  'audit-unreadable': (n) =>
    `${quote(n.word)} is not a user, an agent ID, \`today\` or \`7d\`. Usage: /qc audit [export] [@user | agent] [today|7d]`,
  'not-signed-in': () => 'You are not signed in to the gateway.',
  'signed-out': (n) => `Signed out inspector ${esc(n.inspectorId)} from the gateway.`,
  'signout-refused': (n) =>
    `The gateway did not sign you out: ${esc(n.meaning)} ${esc(n.nextStep)} (retcode ${esc(n.retcode)})`,
  'signout-unreachable': (n) => `Sign-out: ${esc(n.explanation)} ${esc(n.nextStep)}`,
};

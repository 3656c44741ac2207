import { MODE_VERB, OP_PAST } from '../../qc/monitoring';
import type { QcOutcome } from '../../qc/outcome';
import type { QcOperation } from '../../queue/jobs';
import { ACTION, actions, context, message, type SlackMessage, section } from './kit';

const OP_NAME: Record<QcOperation, string> = {
  listen: 'listen to',
  insert: 'insert into the call of',
  whisper: 'whisper to',
  stop: 'stop monitoring',
  intercept: 'intercept the call of',
};

export function monitorButtons(agentId: string) {
  return actions(`qc_start_${agentId}`, [
    { text: `Listen to ${agentId}`, actionId: ACTION.qcOp, value: `listen:${agentId}`, style: 'primary' },
    { text: `Insert into ${agentId}`, actionId: ACTION.qcOp, value: `insert:${agentId}` },
    { text: `Whisper to ${agentId}`, actionId: ACTION.qcOp, value: `whisper:${agentId}` },
  ]);
}

export const signInButton = () =>
  actions('qc_signin', [{ text: 'Sign in', actionId: ACTION.openSignIn, value: 'signin', style: 'primary' }]);

/**
 * Words for every QC outcome. `inChannel` results name who did what (the channel sees them);
 * refusals speak to the requester.
 */
export function outcomeMessage(outcome: QcOutcome, userId: string): SlackMessage & { inChannel: boolean } {
  switch (outcome.kind) {
    case 'not-linked':
      return {
        inChannel: false,
        ...message(
          'You are not linked to a CC-Gateway inspector ID yet.',
          section(':bust_in_silhouette: You are not linked to a CC-Gateway inspector ID yet.'),
          context('Ask a qc-slack admin to run `/qc link @you <inspector-id> [phone]`.'),
        ),
      };
    case 'no-session':
      return {
        inChannel: false,
        ...message(
          `Inspector ${outcome.inspectorId} is not signed in to the gateway: sign in first.`,
          section(
            `:lock: Inspector *${outcome.inspectorId}* is not signed in to the gateway${outcome.reason ? ` (${outcome.reason})` : ''}. Sign in first, then try again.`,
          ),
          signInButton(),
        ),
      };
    case 'not-monitoring':
      return {
        inChannel: false,
        ...message(
          `You can only intercept an agent you are monitoring. Listen, insert or whisper on ${outcome.agentId} first.`,
          section(
            `:warning: You can only intercept an agent you are listening to, inserting into or whispering to. You are ${
              outcome.current
                ? `${MODE_VERB[outcome.current.mode]} *${outcome.current.agentId}*`
                : 'not monitoring anyone'
            }. Start monitoring *${outcome.agentId}* first:`,
          ),
          monitorButtons(outcome.agentId),
        ),
      };
    case 'monitoring-other':
      return {
        inChannel: false,
        ...message(
          `You are monitoring ${outcome.current.agentId}: stop that first.`,
          section(
            `:warning: You are ${MODE_VERB[outcome.current.mode]} *${outcome.current.agentId}*: stop that first, then ${OP_NAME[outcome.op]} *${outcome.agentId}*.`,
          ),
          actions(`qc_stop_${outcome.current.agentId}`, [
            {
              text: `Stop monitoring ${outcome.current.agentId}`,
              actionId: ACTION.qcOp,
              value: `stop:${outcome.current.agentId}`,
              style: 'danger',
            },
          ]),
        ),
      };
    case 'already':
      return {
        inChannel: false,
        ...message(
          `You are already ${MODE_VERB[outcome.mode]} ${outcome.agentId}.`,
          section(`:information_source: You are already ${MODE_VERB[outcome.mode]} *${outcome.agentId}*.`),
        ),
      };
    case 'intercepting':
      return {
        inChannel: false,
        ...message(
          `You took over the call of ${outcome.agentId}; hang up your phone to end it.`,
          section(
            `:telephone_receiver: You took over the call of *${outcome.agentId}*. Hang up your phone to end it; then you can monitor again.`,
          ),
        ),
      };
    case 'duplicate':
      return {
        inChannel: false,
        ...message('This request was already handled once; it was not sent to the gateway again.'),
      };
    case 'gateway': {
      const who = `<@${userId}> (inspector ${outcome.inspectorId})`;
      const detail = `${outcome.op} · agent ${outcome.agentId} · gateway \`${outcome.call}\` · retcode \`${outcome.retcode}\` · ${Math.round(outcome.latencyMs)} ms`;
      if (outcome.ok) {
        const text = `✅ ${who} — ${OP_PAST[outcome.op]} agent ${outcome.agentId}. Retcode 0: done.`;
        return {
          inChannel: true,
          ...message(
            text,
            section(`:white_check_mark: ${who}: *${OP_PAST[outcome.op]} agent ${outcome.agentId}*`),
            context(`${detail} · follow-up events in the thread`),
          ),
        };
      }
      const e = outcome.explanation;
      const text = `❌ ${who} could not ${OP_NAME[outcome.op]} agent ${outcome.agentId}. Retcode ${outcome.retcode}: ${e?.meaning ?? ''} ${e?.nextStep ?? ''}`;
      return {
        inChannel: true,
        ...message(
          text,
          section(
            `:x: ${who} could not *${OP_NAME[outcome.op]} agent ${outcome.agentId}*.\nRetcode \`${outcome.retcode}\`: ${e?.meaning ?? ''}`,
          ),
          section(`*What to do:* ${e?.nextStep ?? ''}`),
          ...(e?.sessionEnded ? [signInButton()] : []),
          context(detail),
        ),
      };
    }
    case 'transport': {
      const err = outcome.error;
      const text = `⚠️ <@${userId}> — ${OP_NAME[outcome.op]} agent ${outcome.agentId}: ${err.explanation} ${err.nextStep}`;
      return {
        inChannel: true,
        ...message(
          text,
          section(
            `:warning: <@${userId}> (inspector ${outcome.inspectorId}): *${OP_NAME[outcome.op]} agent ${outcome.agentId}* — ${err.explanation}`,
          ),
          section(`*What to do:* ${err.nextStep}`),
          context(
            `${outcome.op} · agent ${outcome.agentId} · ${err.kind}${err.code ? ` (${err.code})` : ''}`,
          ),
        ),
      };
    }
  }
}

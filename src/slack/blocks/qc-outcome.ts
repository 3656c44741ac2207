import { MODE_VERB, OP_NAME, OP_PAST, targetLabel } from '../../qc/monitoring';
import type { QcOutcome } from '../../qc/outcome';
import { qcOpValue } from '../button-value';
import { ACTION, actions, context, message, type SlackMessage, section } from './kit';
import { escapeMrkdwn } from './limits';

/**
 * A time of day as a Slack date: each reader sees it in their own time zone and format, as Slack
 * shows message times ("4:06 PM"); clients that cannot render it show the fallback "16:06 UTC".
 */
export function clock(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{time}|${new Date(ms).toISOString().slice(11, 16)} UTC>`;
}

/**
 * One wording for an operation's outcome, wherever it is shown (alerts, Home): the audit's word
 * (`auditOutcome`: a retcode, `refused:<why>`, `transport:<kind>`, or `ok`) in words.
 */
export function resultWord(outcome: string): string {
  if (outcome === '0' || outcome === 'ok') return 'done';
  const [kind, why] = outcome.split(/:(.*)/s);
  if (kind === 'refused' && why) return `refused (${why})`;
  if (kind === 'transport' && why) return `no answer from the gateway (${why})`;
  return `retcode ${outcome}`;
}

export function monitorButtons(agentId: string) {
  return actions(`qc_start_${agentId}`, [
    {
      text: `Listen to ${agentId}`,
      actionId: ACTION.qcOp,
      value: qcOpValue('listen', agentId),
      style: 'primary',
    },
    { text: `Insert into ${agentId}`, actionId: ACTION.qcOp, value: qcOpValue('insert', agentId) },
    { text: `Whisper to ${agentId}`, actionId: ACTION.qcOp, value: qcOpValue('whisper', agentId) },
  ]);
}

export const signInButton = () =>
  actions('qc_signin', [{ text: 'Sign in', actionId: ACTION.openSignIn, value: 'signin', style: 'primary' }]);

/**
 * Words for every QC outcome. `inChannel` results name who did what (the channel sees them);
 * refusals speak to the requester. `followUp: 'none'`: the result starts no thread of its own (it is
 * a reply in an alert's thread, or shown to the requester alone), so it promises none.
 */
export function outcomeMessage(
  outcome: QcOutcome,
  userId: string,
  opts: { followUp?: 'thread' | 'none' } = {},
): SlackMessage & { inChannel: boolean } {
  switch (outcome.kind) {
    case 'not-linked':
      return {
        inChannel: false,
        ...message(
          'You are not linked to a CC-Gateway inspector ID yet.',
          section(':bust_in_silhouette: You are not linked to a CC-Gateway inspector ID yet.'),
          context('Ask a qc-slack admin to run `/qc link @you &lt;inspector-id&gt; &lt;phone&gt;`.'),
        ),
      };
    case 'no-session':
      return {
        inChannel: false,
        ...message(
          `Inspector ${outcome.inspectorId} is not signed in to the gateway: sign in first.`,
          section(
            `:lock: Inspector *${outcome.inspectorId}* is not signed in to the gateway${outcome.reason ? ` (${escapeMrkdwn(outcome.reason)})` : ''}. Sign in first, then try again.`,
          ),
          signInButton(),
        ),
      };
    case 'not-allowed': {
      const admins = outcome.admins.length
        ? outcome.admins.map((a) => `<@${a}>`).join(', ')
        : 'a qc-slack admin (QC_ADMIN_USER_IDS)';
      return {
        inChannel: false,
        ...message(
          `You are not allowed to ${OP_NAME[outcome.op]} ${targetLabel(outcome.op, outcome.agentId)}: it needs the "${outcome.permission}" permission. Ask ${admins} to grant it.`,
          section(
            `:no_entry: You are not allowed to *${OP_NAME[outcome.op]} ${targetLabel(outcome.op, outcome.agentId)}*: it needs the \`${outcome.permission}\` permission. Nothing was sent to the gateway.`,
          ),
          context(`Ask ${admins} to run \`/qc allow @you ${outcome.permission}\`.`),
        ),
      };
    }
    case 'wrong-mode':
      return {
        inChannel: false,
        ...message(
          `You are ${MODE_VERB[outcome.current.mode]} ${outcome.agentId}, not whispering: use /qc stop ${outcome.agentId}.`,
          section(
            `:information_source: You are ${MODE_VERB[outcome.current.mode]} *${outcome.agentId}*, not whispering. To end it: \`/qc stop ${outcome.agentId}\`.`,
          ),
        ),
      };
    case 'already-intercepted':
      return {
        inChannel: false,
        ...message(
          `Agent ${outcome.agentId}'s call was already intercepted by <@${outcome.by}> at ${clock(outcome.at)}.`,
          section(
            `:lock: Agent *${outcome.agentId}*'s call was already intercepted by <@${outcome.by}> at ${clock(outcome.at)}. Only one inspector can take a call over; nothing was sent to the gateway.`,
          ),
        ),
      };
    case 'alert-gone':
      return {
        inChannel: false,
        ...message(
          'That alert is no longer known (expired or from another channel); nothing was sent to the gateway.',
        ),
      };
    case 'not-monitoring':
      if (outcome.op !== 'intercept') {
        return {
          inChannel: false,
          ...message(
            `To ${OP_NAME[outcome.op]} ${outcome.agentId} you must already be monitoring them.`,
            section(
              `:warning: To *${OP_NAME[outcome.op]} ${outcome.agentId}* you must already be listening to, inserted into or whispering to them. Start with:`,
            ),
            monitorButtons(outcome.agentId),
          ),
        };
      }
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
              value: qcOpValue('stop', outcome.current.agentId),
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
      const target = targetLabel(outcome.op, outcome.agentId);
      // The retcode and its words may come from the gateway as they are: escaped.
      const retcode = escapeMrkdwn(outcome.retcode);
      const detail = `${outcome.op} · ${target} · gateway \`${escapeMrkdwn(outcome.call)}\` · retcode \`${retcode}\` · ${Math.round(outcome.latencyMs)} ms`;
      if (outcome.ok) {
        const done =
          outcome.op === 'release-call' || outcome.op.startsWith('force-') || opts.followUp === 'none'
            ? ''
            : ' · follow-up events in the thread';
        const text = `✅ ${who} — ${OP_PAST[outcome.op]} ${outcome.op.startsWith('force-') ? outcome.agentId : target}. Retcode 0: done.`;
        return {
          inChannel: true,
          ...message(
            text,
            section(
              `:white_check_mark: ${who}: *${OP_PAST[outcome.op]} ${outcome.op.startsWith('force-') ? outcome.agentId : target}*`,
            ),
            context(`${detail}${done}`),
          ),
        };
      }
      const meaning = escapeMrkdwn(outcome.explanation?.meaning ?? '');
      const nextStep = escapeMrkdwn(outcome.explanation?.nextStep ?? '');
      const text = `❌ ${who} could not ${OP_NAME[outcome.op]} ${target}. Retcode ${retcode}: ${meaning} ${nextStep}`;
      return {
        inChannel: true,
        ...message(
          text,
          section(
            `:x: ${who} could not *${OP_NAME[outcome.op]} ${target}*.\nRetcode \`${retcode}\`: ${meaning}`,
          ),
          section(`*What to do:* ${nextStep}`),
          ...(outcome.explanation?.sessionEnded ? [signInButton()] : []),
          context(detail),
        ),
      };
    }
    case 'transport': {
      const err = outcome.error;
      const target = targetLabel(outcome.op, outcome.agentId);
      const [explanation, nextStep] = [err.explanation, err.nextStep].map(escapeMrkdwn);
      const text = `⚠️ <@${userId}> — ${OP_NAME[outcome.op]} ${target}: ${explanation} ${nextStep}`;
      return {
        inChannel: true,
        ...message(
          text,
          section(
            `:warning: <@${userId}> (inspector ${outcome.inspectorId}): *${OP_NAME[outcome.op]} ${target}* — ${explanation}`,
          ),
          section(`*What to do:* ${nextStep}`),
          context(`${outcome.op} · ${target} · ${err.kind}${err.code ? ` (${escapeMrkdwn(err.code)})` : ''}`),
        ),
      };
    }
  }
}

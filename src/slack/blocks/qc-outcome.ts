import { MODE_VERB, OP_NAME, OP_PAST, targetLabel } from '../../qc/monitoring';
import type { QcOutcome } from '../../qc/outcome';
import { qcOpValue } from '../button-value';
import { ACTION, actions, type ButtonSpec, context, message, type SlackMessage, section } from './kit';
import { escapeMrkdwn } from './limits';
import { takeOverButton, takeoverRefusal, takeoverStepMessage } from './takeover';

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

export function monitorButtons(agentId: string, more: ButtonSpec[] = []) {
  return actions(`qc_start_${agentId}`, [
    {
      text: `Listen to ${agentId}`,
      actionId: ACTION.qcOp,
      value: qcOpValue('listen', agentId),
      style: 'primary',
    },
    { text: `Insert into ${agentId}`, actionId: ACTION.qcOp, value: qcOpValue('insert', agentId) },
    { text: `Whisper to ${agentId}`, actionId: ACTION.qcOp, value: qcOpValue('whisper', agentId) },
    ...more,
  ]);
}

export const signInButton = () =>
  actions('qc_signin', [{ text: 'Sign in', actionId: ACTION.openSignIn, value: 'signin', style: 'primary' }]);

type Outcome<K extends QcOutcome['kind']> = Extract<QcOutcome, { kind: K }>;
type Rendered = SlackMessage & { inChannel: boolean };
type FollowUp = { followUp?: 'thread' | 'none' };

/** Said to the requester alone (a refusal, a note). */
const toRequester = (m: SlackMessage): Rendered => ({ inChannel: false, ...m });
/** Seen by the channel: names who did what. */
const toChannel = (m: SlackMessage): Rendered => ({ inChannel: true, ...m });

const notLinked = () =>
  message(
    'You are not linked to a CC-Gateway inspector ID yet.',
    section(':bust_in_silhouette: You are not linked to a CC-Gateway inspector ID yet.'),
    context('Ask a qc-slack admin to run `/qc link @you &lt;inspector-id&gt; &lt;phone&gt;`.'),
  );

const noSession = (o: Outcome<'no-session'>) =>
  message(
    `Inspector ${o.inspectorId} is not signed in to the gateway: sign in first.`,
    section(
      `:lock: Inspector *${o.inspectorId}* is not signed in to the gateway${o.reason ? ` (${escapeMrkdwn(o.reason)})` : ''}. Sign in first, then try again.`,
    ),
    signInButton(),
  );

function notAllowed(o: Outcome<'not-allowed'>): SlackMessage {
  const admins = o.admins.length
    ? o.admins.map((a) => `<@${a}>`).join(', ')
    : 'a qc-slack admin (QC_ADMIN_USER_IDS)';
  const what = `${OP_NAME[o.op]} ${targetLabel(o.op, o.agentId)}`;
  return message(
    `You are not allowed to ${what}: it needs the "${o.permission}" permission. Ask ${admins} to grant it.`,
    section(
      `:no_entry: You are not allowed to *${what}*: it needs the \`${o.permission}\` permission. Nothing was sent to the gateway.`,
    ),
    context(`Ask ${admins} to run \`/qc allow @you ${o.permission}\`.`),
  );
}

const wrongMode = (o: Outcome<'wrong-mode'>) =>
  message(
    `You are ${MODE_VERB[o.current.mode]} ${o.agentId}, not whispering: use /qc stop ${o.agentId}.`,
    section(
      `:information_source: You are ${MODE_VERB[o.current.mode]} *${o.agentId}*, not whispering. To end it: \`/qc stop ${o.agentId}\`.`,
    ),
  );

const alreadyIntercepted = (o: Outcome<'already-intercepted'>) =>
  message(
    `Agent ${o.agentId}'s call was already intercepted by <@${o.by}> at ${clock(o.at)}.`,
    section(
      `:lock: Agent *${o.agentId}*'s call was already intercepted by <@${o.by}> at ${clock(o.at)}. Only one inspector can take a call over; nothing was sent to the gateway.`,
    ),
  );

function notMonitoring(o: Outcome<'not-monitoring'>): SlackMessage {
  if (o.op !== 'intercept')
    return message(
      `To ${OP_NAME[o.op]} ${o.agentId} you must already be monitoring them.`,
      section(
        `:warning: To *${OP_NAME[o.op]} ${o.agentId}* you must already be listening to, inserted into or whispering to them. Start with:`,
      ),
      monitorButtons(o.agentId),
    );
  const now = o.current ? `${MODE_VERB[o.current.mode]} *${o.current.agentId}*` : 'not monitoring anyone';
  // One click instead of two: the take-over listens, waits for the phone and intercepts.
  return message(
    `You can only intercept an agent you are monitoring. Take over ${o.agentId}'s call in one click, or listen, insert or whisper on ${o.agentId} first.`,
    section(
      `:warning: You can only intercept an agent you are listening to, inserting into or whispering to. You are ${now}. *Take over* ${o.agentId}'s call in one click, or start monitoring *${o.agentId}* first:`,
    ),
    monitorButtons(o.agentId, [takeOverButton(o.agentId, o.phone ? { phone: o.phone } : {})]),
  );
}

const monitoringOther = (o: Outcome<'monitoring-other'>) =>
  message(
    `You are monitoring ${o.current.agentId}: stop that first.`,
    section(
      `:warning: You are ${MODE_VERB[o.current.mode]} *${o.current.agentId}*: stop that first, then ${OP_NAME[o.op]} *${o.agentId}*.`,
    ),
    actions(`qc_stop_${o.current.agentId}`, [
      {
        text: `Stop monitoring ${o.current.agentId}`,
        actionId: ACTION.qcOp,
        value: qcOpValue('stop', o.current.agentId),
        style: 'danger',
      },
    ]),
  );

const already = (o: Outcome<'already'>) =>
  message(
    `You are already ${MODE_VERB[o.mode]} ${o.agentId}.`,
    section(`:information_source: You are already ${MODE_VERB[o.mode]} *${o.agentId}*.`),
  );

const intercepting = (o: Outcome<'intercepting'>) =>
  message(
    `You took over the call of ${o.agentId}; hang up your phone to end it.`,
    section(
      `:telephone_receiver: You took over the call of *${o.agentId}*. Hang up your phone to end it; then you can monitor again.`,
    ),
  );

/** The gateway's answer: done (with where the follow-up events go), or why not and what to do. */
function gatewayResult(o: Outcome<'gateway'>, userId: string, opts: FollowUp): SlackMessage {
  const who = `<@${userId}> (inspector ${o.inspectorId})`;
  const target = targetLabel(o.op, o.agentId);
  // The retcode and its words may come from the gateway as they are: escaped.
  const retcode = escapeMrkdwn(o.retcode);
  const detail = `${o.op} · ${target} · gateway \`${escapeMrkdwn(o.call)}\` · retcode \`${retcode}\` · ${Math.round(o.latencyMs)} ms`;
  if (o.ok) {
    const force = o.op.startsWith('force-');
    const done =
      o.op === 'release-call' || force || opts.followUp === 'none' ? '' : ' · follow-up events in the thread';
    const what = `${OP_PAST[o.op]} ${force ? o.agentId : target}`;
    return message(
      `✅ ${who} — ${what}. Retcode 0: done.`,
      section(`:white_check_mark: ${who}: *${what}*`),
      context(`${detail}${done}`),
    );
  }
  const meaning = escapeMrkdwn(o.explanation?.meaning ?? '');
  const nextStep = escapeMrkdwn(o.explanation?.nextStep ?? '');
  return message(
    `❌ ${who} could not ${OP_NAME[o.op]} ${target}. Retcode ${retcode}: ${meaning} ${nextStep}`,
    section(`:x: ${who} could not *${OP_NAME[o.op]} ${target}*.\nRetcode \`${retcode}\`: ${meaning}`),
    section(`*What to do:* ${nextStep}`),
    ...(o.explanation?.sessionEnded ? [signInButton()] : []),
    context(detail),
  );
}

/** No answer from the gateway (or one it could not read): what happened and what to do. */
function transportResult(o: Outcome<'transport'>, userId: string): SlackMessage {
  const err = o.error;
  const target = targetLabel(o.op, o.agentId);
  const [explanation, nextStep] = [err.explanation, err.nextStep].map(escapeMrkdwn);
  return message(
    `⚠️ <@${userId}> — ${OP_NAME[o.op]} ${target}: ${explanation} ${nextStep}`,
    section(
      `:warning: <@${userId}> (inspector ${o.inspectorId}): *${OP_NAME[o.op]} ${target}* — ${explanation}`,
    ),
    section(`*What to do:* ${nextStep}`),
    context(`${o.op} · ${target} · ${err.kind}${err.code ? ` (${escapeMrkdwn(err.code)})` : ''}`),
  );
}

/**
 * Words for every QC outcome. `inChannel` results name who did what (the channel sees them);
 * refusals speak to the requester. `followUp: 'none'`: the result starts no thread of its own (it is
 * a reply in an alert's thread, or shown to the requester alone), so it promises none.
 */
export function outcomeMessage(outcome: QcOutcome, userId: string, opts: FollowUp = {}): Rendered {
  switch (outcome.kind) {
    case 'not-linked':
      return toRequester(notLinked());
    case 'no-session':
      return toRequester(noSession(outcome));
    case 'not-allowed':
      return toRequester(notAllowed(outcome));
    case 'wrong-mode':
      return toRequester(wrongMode(outcome));
    case 'already-intercepted':
      return toRequester(alreadyIntercepted(outcome));
    case 'alert-gone':
      return toRequester(
        message(
          'That alert is no longer known (expired or from another channel); nothing was sent to the gateway.',
        ),
      );
    case 'not-monitoring':
      return toRequester(notMonitoring(outcome));
    case 'monitoring-other':
      return toRequester(monitoringOther(outcome));
    case 'already':
      return toRequester(already(outcome));
    case 'intercepting':
      return toRequester(intercepting(outcome));
    case 'taken-first':
    case 'takeover-pending':
      return toRequester(takeoverRefusal(outcome));
    case 'takeover':
      return toChannel(takeoverStepMessage(outcome, userId));
    case 'duplicate':
      return toRequester(
        message('This request was already handled once; it was not sent to the gateway again.'),
      );
    case 'gateway':
      return toChannel(gatewayResult(outcome, userId, opts));
    case 'transport':
      return toChannel(transportResult(outcome, userId));
  }
}

import { checkAgentId } from '../../gateway/agent-id';
import type { QcOutcome } from '../../qc/outcome';
import { decodeButtonValue, encodeButtonValue } from '../button-value';
import { FLOOR_ACTION, parseTakeOverValue } from './floor';
import { type ButtonSpec, context, message, type SlackMessage, section } from './kit';
import { escapeMrkdwn } from './limits';

type Outcome<K extends QcOutcome['kind']> = Extract<QcOutcome, { kind: K }>;

const ALERT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** "30 s", "1.5 s". */
const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

/** A Take over button's value: the agent, and the alert it sits on (if any). */
export const takeOverValue = (agentId: string, alertId?: string): string =>
  encodeButtonValue(alertId ? [agentId, alertId] : [agentId]);

/** A Take over click's value, checked (floor and refusal: `agent`; alert: `agent:alertId`). */
export function parseTakeOverClick(
  value: string | undefined,
  maxAgentId: number,
): { agentId: string; alertId?: string } | undefined {
  const single = parseTakeOverValue(value, maxAgentId);
  if (single) return { agentId: single };
  const [agent, alertId] = decodeButtonValue(value, 2) ?? [];
  const checked = checkAgentId(agent, maxAgentId);
  return checked.ok && alertId && ALERT_ID.test(alertId) ? { agentId: checked.id, alertId } : undefined;
}

/** The one-click Take over button (danger, asks once). `phone`: the clicker's, when known. */
export function takeOverButton(agentId: string, opts: { phone?: string; alertId?: string } = {}): ButtonSpec {
  const phone = opts.phone ? `your phone (${escapeMrkdwn(opts.phone)})` : 'your phone';
  return {
    text: 'Take over',
    actionId: FLOOR_ACTION.takeOver,
    value: takeOverValue(agentId, opts.alertId),
    style: 'danger',
    confirm: {
      title: `Take over ${agentId}'s call?`,
      text: `Take over ${agentId}'s call? qc-slack listens, rings ${phone}, and takes the call when you answer.`,
      confirm: 'Take over',
    },
  };
}

/** A take-over refused before the gateway: someone holds the call, or one is already waiting. */
export function takeoverRefusal(o: Outcome<'taken-first'> | Outcome<'takeover-pending'>): SlackMessage {
  if (o.kind === 'taken-first')
    return message(
      `<@${o.by}> took over ${o.agentId} first.`,
      section(`:lock: <@${o.by}> took over *${o.agentId}* first. Nothing was sent to the gateway.`),
    );
  return message(
    `You are already taking over ${o.agentId}: answer your phone.`,
    section(`:telephone_receiver: You are already taking over *${o.agentId}*: answer your phone.`),
  );
}

/** A take-over's steps as the channel (or the take-over's thread) sees them. */
export function takeoverStepMessage(o: Outcome<'takeover'>, userId: string): SlackMessage {
  const who = `<@${userId}> (inspector ${o.inspectorId})`;
  const agent = o.agentId;
  switch (o.step) {
    case 'ringing': {
      const phone = o.phone ? ` (${escapeMrkdwn(o.phone)})` : '';
      return message(
        `Taking over ${agent}: answer your phone${phone}… ${who}`,
        section(`:telephone_receiver: ${who}: *Taking over ${agent}*: answer your phone${phone}…`),
        context(
          `Listening to ${agent} now; the call is taken when the phone answers. No answer within ${seconds(o.waitMs)}: listening stops, the customer's call is unchanged. Follow-up events in the thread.`,
        ),
      );
    }
    case 'not-answered':
      return message(
        `Your phone did not answer within ${seconds(o.waitMs)}: stopped listening to ${agent}; the customer's call is unchanged.`,
        section(
          `:no_bell: ${who}: your phone did not answer within ${seconds(o.waitMs)}: stopped listening to *${agent}*; the customer's call is unchanged.`,
        ),
      );
    case 'taken':
      return message(
        `<@${o.by}> took over ${agent} first.`,
        section(`:lock: <@${o.by}> took over *${agent}* first; ${who} is no longer listening.`),
      );
    case 'call-ended':
      return message(
        `Stopped taking over ${agent}: you are no longer listening to them (the call ended or monitoring stopped).`,
        section(
          `:end: ${who}: stopped taking over *${agent}*: no longer listening to them (the call ended or monitoring stopped).`,
        ),
      );
    case 'unknown':
      return message(
        `The take-over of ${agent} did not finish; check /qc status before trying again.`,
        section(
          `:warning: ${who}: the take-over of *${agent}* did not finish (its last step was interrupted). Check \`/qc status\` before trying again.`,
        ),
      );
  }
}

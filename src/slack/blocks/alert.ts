import type { MonitorMode, QcOperation } from '../../qc/model';
import { MODE_VERB } from '../../qc/monitoring';
import type { AgentMonitor } from '../../qc/ports';
import type { AlertRecord } from '../../store/types';
import { alertOpValue } from '../button-value';
import {
  ACTION,
  actions,
  type Block,
  type ButtonSpec,
  context,
  joinWithin,
  message,
  type SlackMessage,
  section,
} from './kit';
import { escapeMrkdwn, fitMrkdwn, LIMITS } from './limits';
import { clock, resultWord } from './qc-outcome';
import { takeOverButton } from './takeover';

const SEVERITY: Record<AlertRecord['severity'], string> = {
  info: ':large_blue_circle: Info',
  warning: ':large_orange_circle: Warning',
  critical: ':red_circle: Critical',
};

/** Slack mrkdwn must not let an alert sender inject mentions or links: escape the three specials. */
export const escapeText = escapeMrkdwn;

/**
 * A monitoring alert as a Slack message: who/what/why, who is on it, the last result, and the QC
 * buttons that still make sense. Button values carry ids only (`op:agent:alertId`); the worker
 * re-checks them against the stored alert.
 */
export function alertMessage(alert: AlertRecord, monitors: AgentMonitor[] = []): SlackMessage {
  const agent = alert.agentId;
  const title = `${SEVERITY[alert.severity]} · agent *${agent}* · ${escapeText(alert.reason)}`;
  const facts = [
    ...(alert.customer ? [`*Customer:* ${escapeText(alert.customer)}`] : []),
    ...(alert.callId ? [`*Call:* ${escapeText(alert.callId)}`] : []),
    ...(alert.details ? [escapeText(alert.details)] : []),
  ];
  const blocks: Block[] = [section(title)];
  // Measured after escaping (500 × "<>" is 4,000 characters once escaped): the details are cut to fit.
  if (facts.length) blocks.push(section(fitMrkdwn(facts.join('\n'), LIMITS.sectionText)));

  // Who clicked on this alert, and who monitors the agent now by any way (the index has the mode
  // that stands): one line per person.
  const onAgent = new Map<string, { mode: MonitorMode; since: number }>();
  for (const [user, p] of Object.entries(alert.participants)) onAgent.set(user, p);
  for (const m of monitors)
    onAgent.set(m.userId, {
      mode: m.mode,
      since: m.since ?? onAgent.get(m.userId)?.since ?? alert.createdAt,
    });
  const people = [...onAgent.entries()]
    .sort(([, a], [, b]) => a.since - b.since)
    .map(([user, p]) => `<@${user}> ${MODE_VERB[p.mode]} ${agent} since ${clock(p.since)}`);
  const state: string[] = [];
  if (alert.interceptedBy)
    state.push(
      `:telephone_receiver: Intercepted by <@${alert.interceptedBy.userId}> at ${clock(alert.interceptedBy.at)}`,
    );
  state.push(...people.filter((p) => !p.includes(MODE_VERB.intercept)));
  if (alert.last)
    state.push(
      `Last: <@${alert.last.userId}> ${escapeText(alert.last.op)} → ${alert.last.ok ? 'done' : escapeText(resultWord(alert.last.retcode))} (${clock(alert.last.at)})`,
    );
  // Anyone may join an alert's call: past what one context text holds, the rest are counted.
  const onIt = joinWithin(state, ' · ', LIMITS.contextText, (rest) => `and ${rest} more`);
  blocks.push(context(state.length ? onIt.text : 'Nobody is on this call yet.'));

  const buttons = alertButtons(alert);
  if (buttons.length) blocks.push(actions(`qc_alert_${alert.alertId}`, buttons));
  const text = `${alert.severity.toUpperCase()} alert: agent ${agent}: ${escapeText(alert.reason)}${alert.interceptedBy ? ` (intercepted by <@${alert.interceptedBy.userId}>)` : ''}`;
  return { text: message(text).text, blocks };
}

/** After an intercept only Stop is left to anyone; before, everything (Take over asks to confirm). */
function alertButtons(alert: AlertRecord): ButtonSpec[] {
  const v = (op: QcOperation) => alertOpValue(op, alert.agentId, alert.alertId);
  const stop: ButtonSpec = { text: 'Stop', actionId: ACTION.alertOp, value: v('stop') };
  if (alert.interceptedBy) return Object.keys(alert.participants).length ? [stop] : [];
  return [
    { text: 'Listen', actionId: ACTION.alertOp, value: v('listen'), style: 'primary' },
    { text: 'Whisper', actionId: ACTION.alertOp, value: v('whisper') },
    { text: 'Insert', actionId: ACTION.alertOp, value: v('insert') },
    // One click: listens if need be, waits for the phone, intercepts (already monitoring: at once).
    takeOverButton(alert.agentId, { alertId: alert.alertId }),
    stop,
  ];
}

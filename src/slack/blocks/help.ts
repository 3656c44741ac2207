import type { ParsedCommand } from '../parse';
import { context, message, type SlackMessage, section } from './kit';
import { escapeMrkdwn } from './limits';

export function helpMessage(topic?: string): SlackMessage {
  // Placeholders such as <call-id> are escaped: Slack reads a bare <…> as a link or a mention.
  const lines = [
    '*qc-slack* — real-time quality control on the CC-Gateway, from Slack.',
    '',
    '*Monitor an agent* (you must be signed in; you hear the call on your phone):',
    '• `/qc listen 2005` — listen silently',
    '• `/qc whisper 2005` — coach the agent; the customer does not hear you',
    '• `/qc insert 2005` — join the call (three-way)',
    '• `/qc switch listen|insert|whisper 2005` — change mode without hanging up',
    '• `/qc stop 2005` (or `/qc stop-whisper 2005`) — stop monitoring',
    '• `/intercept 2005` (or `/qc intercept 2005`) — take the customer over from the agent you are monitoring',
    '',
    '*Act on an agent* (asks for a confirmation; needs the `force` / `release` permission):',
    '• `/qc force-busy 2005`, `/qc force-idle 2005`, `/qc force-signout 2005`, `/qc release-call <call-id>`',
    '',
    '*The floor:* `/qc floor [all|<skill-id>] [share]` — every agent live, in your DM with qc-slack (`share`: in the channel)',
    '*See:* `/qc who [agent]` — who monitors whom · `/qc audit [export] [@user|agent] [today|7d]` · `/qc status`',
    '*Your gateway session:* `/qc signin`, `/qc signout` (or the Home tab)',
    '*Admins:* `/qc link @user <inspector-id> <phone>[,<more allowed phones>]`, `/qc unlink @user`, `/qc allow|deny @user listen,insert,whisper,intercept,force,release`',
  ];
  const intro =
    topic === 'intercept'
      ? 'Intercept takes the customer over: first listen, insert or whisper on the agent.'
      : undefined;
  return message(
    escapeMrkdwn(
      'qc-slack help: /qc listen|whisper|insert|switch|stop|intercept <agent-id>, /qc floor, /qc who, /qc audit, /qc signin|signout|status',
    ),
    ...(intro ? [section(intro)] : []),
    section(lines.map(escapeMrkdwn).join('\n')),
    context(
      'Agent IDs are digits, e.g. `2005` or `#2005`. Results go to the channel; follow-up events to its thread.',
    ),
  );
}

/** A usage answer. The problem may quote what was typed, and usages hold placeholders: all escaped. */
export function usageMessage(cmd: Extract<ParsedCommand, { kind: 'usage' }>): SlackMessage {
  const [problem, usage, example] = [cmd.problem, cmd.usage, cmd.example].map(escapeMrkdwn);
  return message(
    `${problem}. Usage: ${usage} — e.g. ${example}`,
    section(`:grey_question: ${problem}.\n*Usage:* \`${usage}\`\n*Example:* \`${example}\``),
    context('`/qc help` lists every command.'),
  );
}

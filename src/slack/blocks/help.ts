import type { ParsedCommand } from '../parse';
import { context, message, type SlackMessage, section } from './kit';

export function helpMessage(topic?: string): SlackMessage {
  const lines = [
    '*qc-slack* — real-time quality control on the CC-Gateway, from Slack.',
    '',
    '*Monitor an agent* (you must be signed in; you hear the call on your phone):',
    '• `/qc listen 2005` — listen silently',
    '• `/qc whisper 2005` — coach the agent; the customer does not hear you',
    '• `/qc insert 2005` — join the call (three-way)',
    '• `/qc stop 2005` — stop monitoring',
    '• `/intercept 2005` (or `/qc intercept 2005`) — take the customer over from the agent you are monitoring',
    '',
    '*Your gateway session:* `/qc signin`, `/qc signout`, `/qc status`',
    '*Admins:* `/qc link @user <inspector-id> [phone]`, `/qc unlink @user`',
  ];
  const intro =
    topic === 'intercept'
      ? 'Intercept takes the customer over: first listen, insert or whisper on the agent.'
      : undefined;
  return message(
    'qc-slack help: /qc listen|whisper|insert|stop|intercept <agent>, /qc signin|signout|status',
    ...(intro ? [section(intro)] : []),
    section(lines.join('\n')),
    context(
      'Agent IDs are digits, e.g. `2005` or `#2005`. Results go to the channel; follow-up events to its thread.',
    ),
  );
}

export function usageMessage(cmd: Extract<ParsedCommand, { kind: 'usage' }>): SlackMessage {
  return message(
    `${cmd.problem}. Usage: ${cmd.usage} — e.g. ${cmd.example}`,
    section(`:grey_question: ${cmd.problem}.\n*Usage:* \`${cmd.usage}\`\n*Example:* \`${cmd.example}\``),
    context('`/qc help` lists every command.'),
  );
}

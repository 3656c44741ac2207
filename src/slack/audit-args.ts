import { checkAgentId } from '../gateway/agent-id';
import type { AuditArgs } from '../qc/audit';
import { mentionedUserId } from './mention';

/**
 * The words after `/qc audit`: `[export] [<@U123|name> | <agent-id> | #2005] [today|7d]`, the filter
 * and the range in any order. Parsing never throws; a bad word comes back as a `problem` to show
 * (a phrase without the usage line: callers add AUDIT_USAGE or their own).
 */
export type AuditArgsResult = { ok: true; args: AuditArgs } | { ok: false; problem: string };

export const AUDIT_USAGE = '/qc audit [export] [@user | <agent-id>] [today|7d]';

const AGENT = /^#?[0-9]+$/;

/** A word as it may be quoted back to the user: short, and unable to open a mention or a code span. */
const quote = (word: string) => `\`${word.slice(0, 24).replace(/[`<>]/g, '')}\``;

/**
 * Tokens of the command text: `<…>` stays whole even when a mention's label has spaces
 * (`<@U1|ann lee>`), everything else splits on whitespace.
 */
function tokens(words: string[]): string[] {
  return words.join(' ').match(/<[^<>]*>|[^\s<>]+|[<>]/g) ?? [];
}

export function parseAuditArgs(words: string[], maxAgentId: number): AuditArgsResult {
  let exportCsv = false;
  let range: AuditArgs['range'] | undefined;
  let filter: AuditArgs['filter'] | undefined;
  const problem = (text: string): AuditArgsResult => ({ ok: false, problem: text });

  for (const word of tokens(Array.isArray(words) ? words.filter((w) => typeof w === 'string') : [])) {
    const lower = word.toLowerCase();
    if (lower === 'export') {
      if (exportCsv) return problem('`export` is given twice');
      exportCsv = true;
      continue;
    }
    if (lower === 'today' || lower === '7d') {
      if (range) return problem('give one range: `today` or `7d`');
      range = lower;
      continue;
    }
    const mention = mentionedUserId(word);
    if (mention || AGENT.test(word)) {
      if (filter) return problem('filter on one user or one agent at a time');
      if (mention) {
        filter = { userId: mention };
        continue;
      }
      const agent = checkAgentId(word.replace(/^#/, ''), maxAgentId);
      if (!agent.ok) return problem(`${quote(word)} is not an agent ID: ${agent.reason}`);
      filter = { agentId: agent.id };
      continue;
    }
    if (word.startsWith('@') || word.startsWith('<@')) {
      return problem(`${quote(word)}: pick the user from Slack's list so it becomes a mention`);
    }
    return problem(`${quote(word)} is not a user, an agent ID, \`today\` or \`7d\``);
  }
  const args: AuditArgs = { export: exportCsv, range: range ?? 'today' };
  if (filter) args.filter = filter;
  return { ok: true, args };
}

/** The words that parse back to `args`: what the audit job carries (qc/audit.ts reads them). */
export function auditArgsWords(args: AuditArgs): string[] {
  const words: string[] = [];
  if (args.export) words.push('export');
  if (args.filter) words.push('userId' in args.filter ? `<@${args.filter.userId}>` : args.filter.agentId);
  words.push(args.range);
  return words;
}

import { isoOf } from '../../qc/audit-csv';
import type { AuditEntry } from '../../store/types';
import type { Block, SlackMessage } from './kit';
import { escapeMrkdwn } from './limits';

/**
 * `/qc audit`'s answer: a compact Block Kit message, one line per action (the CSV file is
 * qc/audit-csv.ts). Pure functions; nothing here calls Slack.
 */

/** Slack rejects a section whose text is over 3,000 characters; the table stays under this. */
export const SECTION_TEXT_LIMIT = 3000;
export const DEFAULT_MAX_ROWS = 25;
/** Widest a table cell gets (longer ones end in '…'). */
const MAX_CELL = 24;

const RANGE_LABEL: Record<string, { header: string; sentence: string }> = {
  today: { header: 'today', sentence: 'today' },
  '7d': { header: 'last 7 days', sentence: 'in the last 7 days' },
};
const rangeLabel = (range: string) => RANGE_LABEL[range] ?? { header: range, sentence: `in ${range}` };

/** Plain cell text: one line, no backticks (they would end the code block), at most MAX_CELL wide. */
function cell(value: string | number | undefined): string {
  if (value === undefined || value === '') return '-';
  const flat = String(value)
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/`/g, "'")
    .trim();
  if (flat === '') return '-';
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

/** A Slack user ID becomes a mention; anything else stays text. */
const userCell = (userId: string) => (/^[UW][A-Z0-9_]{1,30}$/.test(userId) ? `<@${userId}>` : undefined);

/**
 * One line per action: `` `09:05` @alice · 1001 · intercept 2005 → `0` · 412 ms ``. Not a code
 * block: Slack shows mentions as names only outside code, and "who" is the point of an audit.
 */
function rowOf(e: AuditEntry, withDate: boolean): string {
  const iso = isoOf(e.at);
  const time = iso ? (withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16)) : '?';
  const who = userCell(e.userId) ?? escapeMrkdwn(cell(e.userId));
  const what = [cell(e.operation), ...(e.agentId ? [cell(e.agentId)] : [])].map(escapeMrkdwn).join(' ');
  return [
    `\`${time}\` ${who}`,
    ...(e.inspectorId ? [escapeMrkdwn(cell(e.inspectorId))] : []),
    `${what} → \`${escapeMrkdwn(cell(e.outcome))}\``,
    ...(e.latencyMs !== undefined ? [`${escapeMrkdwn(cell(e.latencyMs))} ms`] : []),
  ].join(' · ');
}

const tableText = (rows: string[]) => rows.join('\n');

const mrkdwn = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

export function auditTable(
  entries: AuditEntry[],
  opts: { range: string; maxRows?: number; scopeNote?: string },
): SlackMessage {
  const label = rangeLabel(opts.range);
  const note = opts.scopeNote ? [context(escapeMrkdwn(opts.scopeNote))] : [];
  if (entries.length === 0) {
    const text = `No actions ${escapeMrkdwn(label.sentence)}.`;
    return { text, blocks: [mrkdwn(text), ...note] };
  }
  const header = `Audit · ${escapeMrkdwn(label.header)} · ${entries.length} action${entries.length === 1 ? '' : 's'}`;
  const asked = opts.maxRows ?? DEFAULT_MAX_ROWS;
  const maxRows = Number.isNaN(asked) ? DEFAULT_MAX_ROWS : Math.max(0, Math.floor(asked));
  let shown = entries.slice(0, maxRows);
  const days = new Set(shown.map((e) => isoOf(e.at)?.slice(0, 10)));
  const rows = shown.map((e) => rowOf(e, days.size > 1));
  let table = tableText(rows);
  while (rows.length > 0 && table.length > SECTION_TEXT_LIMIT) {
    rows.pop();
    table = tableText(rows);
  }
  shown = shown.slice(0, rows.length);
  const more = entries.length - shown.length;
  const blocks: Block[] = [mrkdwn(`*${header}*`)];
  if (rows.length > 0) blocks.push(mrkdwn(table));
  if (more > 0) blocks.push(context(`…and ${more} more: \`/qc audit export\` for all`));
  blocks.push(...note);
  return { text: header, blocks };
}

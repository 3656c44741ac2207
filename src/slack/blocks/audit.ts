import type { AuditEntry } from '../store/types';

/**
 * Audit rows for people: a compact Block Kit message (a monospace table) and a CSV file.
 * Pure functions; nothing here calls Slack.
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

/** ISO time of `at`, or undefined when `at` is not a usable timestamp. */
function isoOf(at: number): string | undefined {
  if (!Number.isFinite(at) || Math.abs(at) > 8.64e15) return undefined;
  return new Date(at).toISOString();
}

// ── the Slack message ────────────────────────────────────────────────────────────────────

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

/** mrkdwn needs &, < and > escaped, even inside a code block. */
const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

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

const mrkdwn = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

export function auditTable(
  entries: AuditEntry[],
  opts: { range: string; maxRows?: number; scopeNote?: string },
): { text: string; blocks: unknown[] } {
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
  const blocks: unknown[] = [mrkdwn(`*${header}*`)];
  if (rows.length > 0) blocks.push(mrkdwn(table));
  if (more > 0) blocks.push(context(`…and ${more} more: \`/qc audit export\` for all`));
  blocks.push(...note);
  return { text: header, blocks };
}

// ── the CSV file ─────────────────────────────────────────────────────────────────────────

export const CSV_HEADER = [
  'time_utc',
  'team',
  'user',
  'inspector',
  'agent',
  'operation',
  'outcome',
  'latency_ms',
  'channel',
  'message_ts',
] as const;

/** A spreadsheet runs a cell that starts like a formula; a leading ' makes it text. */
export function guardCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: a field with a quote, comma, CR or LF is quoted, quotes doubled. */
export function quoteCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The cells of one entry, before guarding and quoting. */
export function csvCells(e: AuditEntry): string[] {
  const opt = (v: string | number | undefined) => (v === undefined ? '' : String(v));
  return [
    isoOf(e.at) ?? '',
    e.teamId,
    e.userId,
    opt(e.inspectorId),
    opt(e.agentId),
    e.operation,
    e.outcome,
    opt(e.latencyMs),
    opt(e.channel),
    opt(e.messageTs),
  ].map((v) => String(v ?? ''));
}

/** Header and one line per entry, CRLF-terminated (RFC 4180), every cell guarded against formulas. */
export function auditCsv(entries: AuditEntry[]): string {
  const line = (cells: readonly string[]) => `${cells.map((c) => quoteCell(guardCell(c))).join(',')}\r\n`;
  return line(CSV_HEADER) + entries.map((e) => line(csvCells(e))).join('');
}

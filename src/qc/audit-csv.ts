import type { AuditEntry } from '../store/types';

/** The audit as a CSV file (the `/qc audit export`): pure functions, nothing here knows Slack. */

/** ISO time of `at`, or undefined when `at` is not a usable timestamp. */
export function isoOf(at: number): string | undefined {
  if (!Number.isFinite(at) || Math.abs(at) > 8.64e15) return undefined;
  return new Date(at).toISOString();
}

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

/** `qc-audit-T123-2026-11-25.csv` / `qc-audit-T123-7d-2026-11-25.csv` (UTC day of `now`). */
export function auditFilename(teamId: string, range: 'today' | '7d', now: number): string {
  const day = new Date(now).toISOString().slice(0, 10);
  const team = teamId.replace(/[^A-Za-z0-9_-]/g, '');
  return `qc-audit-${team}${range === '7d' ? '-7d' : ''}-${day}.csv`;
}

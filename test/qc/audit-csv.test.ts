import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditCsv, auditFilename, CSV_HEADER } from '../../src/qc/audit-csv';
import type { AuditEntry } from '../../src/store/types';
import { entry } from '../helpers/audit-entry';

/** RFC 4180, strictly: CRLF records, quoted fields with "" for a quote; throws on anything else. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new Error('unterminated quoted field');
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field += text[i];
          i++;
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
          field += text[i];
          i++;
        }
      }
      record.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text.startsWith('\r\n', i)) {
        i += 2;
        break;
      }
      throw new Error(`expected , or CRLF at ${i}`);
    }
    records.push(record);
  }
  return records;
}

describe('auditCsv', () => {
  it('the header, then one CRLF line per entry', () => {
    const csv = auditCsv([
      entry(),
      entry({ inspectorId: undefined, latencyMs: undefined, channel: undefined }),
    ]);
    expect(csv).toBe(
      'time_utc,team,user,inspector,agent,operation,outcome,latency_ms,channel,message_ts\r\n' +
        '2026-11-25T09:05:00.000Z,T1,U0ALICE,1001,2005,intercept,0,412,C_QC,1764061500.000100\r\n' +
        '2026-11-25T09:05:00.000Z,T1,U0ALICE,,2005,intercept,0,,,1764061500.000100\r\n',
    );
    expect(CSV_HEADER.join(',')).toBe(
      'time_utc,team,user,inspector,agent,operation,outcome,latency_ms,channel,message_ts',
    );
    expect(auditCsv([])).toBe(`${CSV_HEADER.join(',')}\r\n`);
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    const csv = auditCsv([entry({ outcome: 'a,b "c"\nd' })]);
    expect(csv.split('\r\n')[1]).toContain(',"a,b ""c""\nd",');
  });

  it('a cell that starts like a formula gets a leading apostrophe', () => {
    const cells = (outcome: string) => parseCsv(auditCsv([entry({ outcome })]))[1]?.[6];
    expect(cells('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    expect(cells('+1')).toBe("'+1");
    expect(cells('-1')).toBe("'-1");
    expect(cells('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(cells('\t=1')).toBe("'\t=1");
    expect(cells('\r=1')).toBe("'\r=1");
    expect(cells('100-006')).toBe('100-006');
    expect(cells('refused:not-monitoring')).toBe('refused:not-monitoring');
  });

  it('property: parses back to the same cells (guarded), one record per entry', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc
        .array(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', 'a', ' ', 'é'))
        .map((a) => a.join('')),
    );
    const anyEntry: fc.Arbitrary<AuditEntry> = fc.record(
      {
        teamId: text,
        userId: text,
        inspectorId: text,
        agentId: text,
        operation: text,
        outcome: text,
        latencyMs: fc.integer({ min: -5, max: 1_000_000 }),
        channel: text,
        messageTs: text,
        at: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      },
      { requiredKeys: ['teamId', 'userId', 'operation', 'outcome', 'at'] },
    );
    const guard = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
    fc.assert(
      fc.property(fc.array(anyEntry, { maxLength: 20 }), (entries) => {
        const parsed = parseCsv(auditCsv(entries));
        expect(parsed[0]).toEqual([...CSV_HEADER]);
        expect(parsed.slice(1)).toEqual(
          entries.map((e) =>
            [
              new Date(e.at).toISOString(),
              e.teamId,
              e.userId,
              e.inspectorId ?? '',
              e.agentId ?? '',
              e.operation,
              e.outcome,
              e.latencyMs === undefined ? '' : String(e.latencyMs),
              e.channel ?? '',
              e.messageTs ?? '',
            ].map(guard),
          ),
        );
        for (const row of parsed.slice(1)) for (const c of row) expect(c).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('auditFilename', () => {
  it('names the team, the range and the UTC day', () => {
    const now = Date.parse('2026-11-25T23:59:00.000Z');
    expect(auditFilename('T_LOCAL', 'today', now)).toBe('qc-audit-T_LOCAL-2026-11-25.csv');
    expect(auditFilename('T1/../x', '7d', now)).toBe('qc-audit-T1x-7d-2026-11-25.csv');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBlocks } from '../../local/slack-api/validate';
import { auditCsv, auditTable, CSV_HEADER, SECTION_TEXT_LIMIT } from '../../src/audit/format';
import type { AuditEntry } from '../../src/store/types';

const AT = Date.parse('2026-11-25T09:05:00.000Z');
const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  teamId: 'T1',
  userId: 'U0ALICE',
  inspectorId: '1001',
  agentId: '2005',
  operation: 'intercept',
  outcome: '0',
  latencyMs: 412,
  channel: 'C_QC',
  messageTs: '1764061500.000100',
  at: AT,
  ...over,
});

type Section = { type: 'section'; text: { type: string; text: string } };
type Context = { type: 'context'; elements: { type: string; text: string }[] };
const texts = (blocks: unknown[]) =>
  (blocks as (Section | Context)[]).map((b) => (b.type === 'section' ? b.text.text : b.elements[0]?.text));

describe('auditTable', () => {
  it('a header line, then one line per action: HH:MM UTC, a mention, only the fields there are', () => {
    const msg = auditTable(
      [
        entry(),
        entry({
          userId: 'U0BOB',
          inspectorId: undefined,
          agentId: undefined,
          operation: 'signout',
          outcome: 'transport:timeout',
          latencyMs: undefined,
          at: AT - 3_600_000,
        }),
      ],
      { range: 'today' },
    );
    expect(msg.text).toBe('Audit · today · 2 actions');
    const [header, table, ...rest] = texts(msg.blocks);
    expect(header).toBe('*Audit · today · 2 actions*');
    expect(rest).toEqual([]);
    expect(table?.split('\n')).toEqual([
      '`09:05` <@U0ALICE> · 1001 · intercept 2005 → `0` · 412 ms',
      '`08:05` <@U0BOB> · signout → `transport:timeout`',
    ]);
  });

  it('one action; 7d says last 7 days, and dates appear when the rows span days', () => {
    expect(auditTable([entry()], { range: 'today' }).text).toBe('Audit · today · 1 action');
    const msg = auditTable([entry(), entry({ at: AT - 2 * 86_400_000 })], { range: '7d' });
    expect(msg.text).toBe('Audit · last 7 days · 2 actions');
    const lines = texts(msg.blocks)[1]?.split('\n') ?? [];
    expect(lines[0]).toMatch(/^`11-25 09:05` /);
    expect(lines[1]).toMatch(/^`11-23 09:05` /);
  });

  it('at most maxRows (25), then how many more and how to get them all', () => {
    const many = Array.from({ length: 30 }, (_, i) => entry({ at: AT - i * 60_000 }));
    const msg = auditTable(many, { range: 'today' });
    const [, table, more] = texts(msg.blocks);
    expect(table?.split('\n')).toHaveLength(25);
    expect(more).toBe('…and 5 more: `/qc audit export` for all');
    expect(msg.text).toBe('Audit · today · 30 actions');
    const few = texts(auditTable(many, { range: 'today', maxRows: 3 }).blocks);
    expect(few[1]?.split('\n')).toHaveLength(3);
    expect(few[2]).toBe('…and 27 more: `/qc audit export` for all');
  });

  it('nothing: "No actions …", with the scope note when there is one', () => {
    expect(auditTable([], { range: 'today' })).toEqual({
      text: 'No actions today.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'No actions today.' } }],
    });
    const seven = auditTable([], {
      range: '7d',
      scopeNote: 'You can only see your own actions; admins see everyone.',
    });
    expect(texts(seven.blocks)).toEqual([
      'No actions in the last 7 days.',
      'You can only see your own actions; admins see everyone.',
    ]);
  });

  it('cells cannot break the line format or ping anyone; long cells are cut', () => {
    const msg = auditTable(
      [entry({ outcome: '```<!channel> & friends```', operation: 'x'.repeat(100), userId: 'not an id' })],
      { range: 'today' },
    );
    const table = texts(msg.blocks)[1] ?? '';
    expect(table).not.toContain('```');
    expect(table.split('\n')).toHaveLength(1);
    expect(table).toContain('&lt;!channel&gt; &amp;');
    expect(table).not.toContain('<!channel>');
    expect(table).toContain(`${'x'.repeat(23)}…`);
    expect(table).toContain('not an id');
  });

  it('property: under the section limit, valid for Slack, every action shown or counted', () => {
    const text = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 40 }));
    const anyEntry: fc.Arbitrary<AuditEntry> = fc.record(
      {
        teamId: text,
        userId: fc.oneof(text, fc.stringMatching(/^U[A-Z0-9]{8,30}$/)),
        inspectorId: text,
        agentId: text,
        operation: text,
        outcome: text,
        latencyMs: fc.integer({ min: 0, max: 10_000_000 }),
        at: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constant(Number.NaN)),
      },
      { requiredKeys: ['teamId', 'userId', 'operation', 'outcome', 'at'] },
    );
    fc.assert(
      fc.property(
        fc.array(anyEntry, { maxLength: 80 }),
        fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
        fc.constantFrom('today', '7d'),
        (entries, maxRows, range) => {
          const msg = auditTable(entries, { range, ...(maxRows === undefined ? {} : { maxRows }) });
          expect(checkBlocks(msg.blocks, 50).ok).toBe(true);
          for (const t of texts(msg.blocks)) expect((t ?? '').length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
          const all = texts(msg.blocks);
          const table = all.find((t) => t?.startsWith('`'));
          const rows = table ? table.split('\n').length : 0;
          const more = Number(/…and (\d+) more/.exec(all.join('\n'))?.[1] ?? 0);
          expect(rows + more).toBe(entries.length);
          expect(rows).toBeLessThanOrEqual(maxRows ?? 25);
          if (table) for (const line of table.split('\n')) expect(line).toMatch(/^`[^`]+` /);
        },
      ),
      { numRuns: 200 },
    );
  });
});

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

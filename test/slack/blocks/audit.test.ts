import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBlocks } from '../../../local/slack-api/validate';
import { auditTable, SECTION_TEXT_LIMIT } from '../../../src/slack/blocks/audit';
import type { AuditEntry } from '../../../src/store/types';
import { AT, entry } from '../../helpers/audit-entry';

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

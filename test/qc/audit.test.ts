import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditArgs, auditReport, OWN_ROWS_ONLY, rangeDays, readAuditWords } from '../../src/qc/audit';
import { auditArgsWords, parseAuditArgs } from '../../src/slack/audit-args';
import { dayOf } from '../../src/store/keys';
import type { AuditEntry, AuditStore } from '../../src/store/types';

/** An AuditStore over an array, recording which days were asked for. */
function memoryStore(rows: AuditEntry[]) {
  const asked: string[][] = [];
  const store: AuditStore = {
    record: async (e) => {
      rows.push(e);
    },
    listDay: async (teamId, day) => rows.filter((r) => r.teamId === teamId && dayOf(r.at) === day),
    listDays: async (teamId, days) => {
      asked.push(days);
      return rows
        .filter((r) => r.teamId === teamId && days.includes(dayOf(r.at)))
        .sort((a, b) => b.at - a.at);
    },
  };
  return { store, asked };
}

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const H = 3_600_000;
const D = 24 * H;
const e = (userId: string, agentId: string | undefined, at: number, teamId = 'T1'): AuditEntry => ({
  teamId,
  userId,
  ...(agentId ? { agentId } : {}),
  operation: 'listen',
  outcome: '0',
  at,
});
const ROWS = [
  e('UA', '2005', NOW - H),
  e('UB', '2005', NOW - 2 * H),
  e('UA', '2006', NOW - 3 * H),
  e('UA', undefined, NOW - 11 * H), // 01:00 today
  e('UB', '2006', NOW - 13 * H), // 23:00 yesterday
  e('UA', '2005', NOW - 6 * D),
  e('UA', '2005', NOW - 7 * D), // 8 days ago counting today: outside 7d
  e('UA', '2005', NOW - H, 'T2'),
];
const args = (a: Partial<AuditArgs> = {}): AuditArgs => ({ export: false, range: 'today', ...a });

async function report(q: { requesterId: string; isAdmin: boolean; args: AuditArgs }) {
  const mem = memoryStore([...ROWS]);
  const out = await auditReport({ store: mem.store, now: () => NOW }, { teamId: 'T1', ...q });
  return { ...out, asked: mem.asked };
}
const who = (entries: AuditEntry[]) =>
  entries.map((x) => `${x.userId}/${x.agentId ?? '-'}/${(NOW - x.at) / H}h`);

describe('rangeDays', () => {
  it('today is the current UTC day; 7d is it and the 6 days before, newest first', () => {
    expect(rangeDays('today', NOW)).toEqual(['2026-11-25']);
    expect(rangeDays('7d', NOW)).toEqual([
      '2026-11-25',
      '2026-11-24',
      '2026-11-23',
      '2026-11-22',
      '2026-11-21',
      '2026-11-20',
      '2026-11-19',
    ]);
    // Just after midnight UTC, today is the new day; across a month end.
    expect(rangeDays('7d', Date.parse('2026-03-01T00:00:00.000Z')).slice(0, 2)).toEqual([
      '2026-03-01',
      '2026-02-28',
    ]);
  });
});

describe('auditReport', () => {
  it('an admin sees everyone of the team, today, newest first', async () => {
    const r = await report({ requesterId: 'UADMIN', isAdmin: true, args: args() });
    expect(who(r.entries)).toEqual(['UA/2005/1h', 'UB/2005/2h', 'UA/2006/3h', 'UA/-/11h']);
    expect(r.scopeNote).toBeUndefined();
    expect(r.asked).toEqual([['2026-11-25']]);
  });

  it('7d reads the last 7 UTC days', async () => {
    const r = await report({ requesterId: 'UADMIN', isAdmin: true, args: args({ range: '7d' }) });
    expect(who(r.entries)).toEqual([
      'UA/2005/1h',
      'UB/2005/2h',
      'UA/2006/3h',
      'UA/-/11h',
      'UB/2006/13h',
      'UA/2005/144h',
    ]);
    expect(r.asked[0]).toHaveLength(7);
  });

  it('an admin filters on a user or an agent', async () => {
    const byUser = await report({
      requesterId: 'UADMIN',
      isAdmin: true,
      args: args({ filter: { userId: 'UB' } }),
    });
    expect(who(byUser.entries)).toEqual(['UB/2005/2h']);
    const byAgent = await report({
      requesterId: 'UADMIN',
      isAdmin: true,
      args: args({ range: '7d', filter: { agentId: '2006' } }),
    });
    expect(who(byAgent.entries)).toEqual(['UA/2006/3h', 'UB/2006/13h']);
  });

  it('a non-admin sees only their own rows, also with an agent filter', async () => {
    const own = await report({ requesterId: 'UA', isAdmin: false, args: args() });
    expect(who(own.entries)).toEqual(['UA/2005/1h', 'UA/2006/3h', 'UA/-/11h']);
    expect(own.scopeNote).toBeUndefined();
    const agent = await report({
      requesterId: 'UB',
      isAdmin: false,
      args: args({ filter: { agentId: '2005' } }),
    });
    expect(who(agent.entries)).toEqual(['UB/2005/2h']);
    const self = await report({
      requesterId: 'UB',
      isAdmin: false,
      args: args({ filter: { userId: 'UB' } }),
    });
    expect(who(self.entries)).toEqual(['UB/2005/2h']);
  });

  it('a non-admin asking for someone else gets nothing, and why (without a read)', async () => {
    const r = await report({ requesterId: 'UB', isAdmin: false, args: args({ filter: { userId: 'UA' } }) });
    expect(r.entries).toEqual([]);
    expect(r.scopeNote).toBe('You can only see your own actions; admins see everyone.');
    expect(r.scopeNote).toBe(OWN_ROWS_ONLY);
    expect(r.asked).toEqual([]);
  });
});

describe('readAuditWords (the worker reads what the Slack function wrote)', () => {
  const MAX = 59_999;
  const args: fc.Arbitrary<AuditArgs> = fc.record(
    {
      export: fc.boolean(),
      range: fc.constantFrom('today' as const, '7d' as const),
      filter: fc.oneof(
        fc.stringMatching(/^[UW][A-Z0-9_]{2,20}$/).map((id) => ({ userId: id })),
        fc.integer({ min: 101, max: MAX }).map((n) => ({ agentId: String(n) })),
      ),
    },
    { requiredKeys: ['export', 'range'] },
  );

  it('property: the words of any request read back to the same request', () => {
    fc.assert(
      fc.property(args, (a) => {
        expect(readAuditWords(auditArgsWords(a), MAX)).toEqual({ ok: true, args: a });
      }),
      { numRuns: 300 },
    );
  });

  it('what the Slack function parsed (labelled mentions, #2005) reaches the worker unchanged', () => {
    for (const text of ['export <@U0ALICE|alice lee> 7d', '#2005 today', '', 'export']) {
      const parsed = parseAuditArgs(text.split(' ').filter(Boolean), MAX);
      if (!parsed.ok) throw new Error(parsed.problem);
      expect(readAuditWords(auditArgsWords(parsed.args), MAX), text).toEqual({ ok: true, args: parsed.args });
    }
  });

  it.each([
    [['export', 'export'], 'export'],
    [['today', '7d'], '7d'],
    [['2005', '<@U0ALICE>'], '<@U0ALICE>'],
    [['<@U0ALICE|alice>'], '<@U0ALICE|alice>'],
    [['99'], '99'],
    [['#2005'], '#2005'],
    [['yesterday'], 'yesterday'],
  ])('%j is refused, naming %s (the queue is not trusted)', (words, word) => {
    expect(readAuditWords(words, MAX)).toEqual({ ok: false, word });
  });
});

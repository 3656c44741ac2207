import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_AGENT_ID, NEWER_GATEWAY_MAX_AGENT_ID } from '../../src/gateway/agent-id';
import type { AuditArgs } from '../../src/qc/audit';
import { auditArgsWords, parseAuditArgs } from '../../src/slack/audit-args';

const MAX = DEFAULT_MAX_AGENT_ID;
const parse = (text: string, max = MAX) => parseAuditArgs(text.split(/\s+/).filter(Boolean), max);

describe('parseAuditArgs', () => {
  it('nothing: today, everyone, no export', () => {
    expect(parse('')).toEqual({ ok: true, args: { export: false, range: 'today' } });
  });

  it('the examples of the usage line', () => {
    expect(parse('export')).toEqual({ ok: true, args: { export: true, range: 'today' } });
    expect(parse('7d')).toEqual({ ok: true, args: { export: false, range: '7d' } });
    expect(parse('<@U0ABC123|alice> 7d')).toEqual({
      ok: true,
      args: { export: false, range: '7d', filter: { userId: 'U0ABC123' } },
    });
    expect(parse('export 7d <@U0ABC123>')).toEqual({
      ok: true,
      args: { export: true, range: '7d', filter: { userId: 'U0ABC123' } },
    });
    expect(parse('2005 today')).toEqual({
      ok: true,
      args: { export: false, range: 'today', filter: { agentId: '2005' } },
    });
    expect(parse('export #2005')).toEqual({
      ok: true,
      args: { export: true, range: 'today', filter: { agentId: '2005' } },
    });
  });

  it('keywords in any case; agent IDs canonical; a mention label with spaces stays one word', () => {
    expect(parse('EXPORT 7D 02005')).toEqual({
      ok: true,
      args: { export: true, range: '7d', filter: { agentId: '2005' } },
    });
    expect(parseAuditArgs(['<@W0ABC|ann', 'lee>', 'today'], MAX)).toEqual({
      ok: true,
      args: { export: false, range: 'today', filter: { userId: 'W0ABC' } },
    });
  });

  it('agent IDs follow the configured maximum', () => {
    expect(parse('999999').ok).toBe(false);
    expect(parse('999999', NEWER_GATEWAY_MAX_AGENT_ID)).toMatchObject({
      ok: true,
      args: { filter: { agentId: '999999' } },
    });
  });

  it('problems: a phrase naming the word, without the usage line (callers add it)', () => {
    const problems: [string, RegExp][] = [
      ['yesterday', /`yesterday` is not a user, an agent ID/],
      ['today 7d', /one range/],
      ['2005 2006', /one user or one agent/],
      ['<@U0ABC> 2005', /one user or one agent/],
      ['export export', /twice/],
      ['100', /`100` is not an agent ID: agent IDs run from 101/],
      ['#abc', /`#abc` is not a user/],
      ['@alice', /`@alice`: pick the user from Slack's list/],
      ['<@u0abc>', /`@u0abc`: pick the user/],
      ['<#C123|qc>', /is not a user/],
    ];
    for (const [text, re] of problems) {
      const r = parse(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) {
        expect(r.problem, text).toMatch(re);
        expect(r.problem).not.toContain('/qc audit');
      }
    }
  });

  it('property: never throws, whatever the words', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.constantFrom('export', 'today', '7d', '<@U1', '>', '<@U0ABC>', '#', '2005', '<', '|'),
          ),
        ),
        fc.integer({ min: 0, max: 2_000_000 }),
        (words, max) => {
          const r = parseAuditArgs(words, max);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(r.problem.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: the words of valid args, in any order after export, parse back to them', () => {
    const userId = fc
      .tuple(fc.constantFrom('U', 'W'), fc.stringMatching(/^[A-Z0-9]{2,20}$/))
      .map(([p, rest]) => p + rest);
    const args: fc.Arbitrary<AuditArgs> = fc.record(
      {
        export: fc.boolean(),
        range: fc.constantFrom('today' as const, '7d' as const),
        filter: fc.oneof(
          userId.map((id) => ({ userId: id })),
          fc.integer({ min: 101, max: MAX }).map((n) => ({ agentId: String(n) })),
        ),
      },
      { requiredKeys: ['export', 'range'] },
    );
    fc.assert(
      fc.property(
        args,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.string(),
        (a, swap, label, hash, name) => {
          const words = auditArgsWords(a);
          // Variants Slack may send: a labelled mention, `#2005`, filter and range swapped.
          const rest = words.slice(a.export ? 1 : 0).map((w) => {
            if (label && w.startsWith('<@')) return `${w.slice(0, -1)}|${name.replace(/[<>\s]/g, '')}>`;
            if (hash && /^\d+$/.test(w)) return `#${w}`;
            return w;
          });
          if (swap) rest.reverse();
          expect(parseAuditArgs([...(a.export ? ['export'] : []), ...rest], MAX)).toEqual({
            ok: true,
            args: a,
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkAgentId,
  checkCallId,
  DEFAULT_MAX_AGENT_ID,
  NEWER_GATEWAY_MAX_AGENT_ID,
} from '../../src/gateway/agent-id';

describe('checkAgentId', () => {
  it('accepts the documented range and the demo IDs', () => {
    for (const id of ['101', '1001', '2005', '3001', '59999'])
      expect(checkAgentId(id)).toEqual({ ok: true, id });
  });

  it('refuses the edges, text, signs, spaces and non-strings', () => {
    for (const bad of [
      '100',
      '60000',
      '',
      ' 2005',
      '2005 ',
      '20 05',
      '-2005',
      '+2005',
      '2e3',
      '2005.0',
      'abc',
      '0x7d5',
    ]) {
      expect(checkAgentId(bad).ok, bad).toBe(false);
    }
    for (const bad of [null, undefined, {}, [], true]) expect(checkAgentId(bad).ok).toBe(false);
  });

  it('takes the newer upper bound when configured', () => {
    expect(checkAgentId('999999', NEWER_GATEWAY_MAX_AGENT_ID)).toEqual({ ok: true, id: '999999' });
    expect(checkAgentId('999999').ok).toBe(false);
    expect(checkAgentId('1000000', NEWER_GATEWAY_MAX_AGENT_ID).ok).toBe(false);
  });

  it('property: accepted exactly when digits and 101..max; canonical without leading zeros', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10, max: 1_200_000 }),
        fc.constantFrom(DEFAULT_MAX_AGENT_ID, NEWER_GATEWAY_MAX_AGENT_ID),
        (n, max) => {
          const result = checkAgentId(String(n), max);
          expect(result.ok).toBe(n >= 101 && n <= max);
          if (result.ok) expect(result.id).toBe(String(n));
        },
      ),
    );
  });

  it('property: any string with a non-digit is refused with a reason', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => /[^0-9]/.test(s)),
        (s) => {
          const result = checkAgentId(s);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('checkCallId', () => {
  it('accepts gateway call IDs and refuses path tricks', () => {
    expect(checkCallId('1456401416-3').ok).toBe(true);
    for (const bad of ['', '../x', 'a/b', 'a b', '%2e', '-1', 'x'.repeat(200)])
      expect(checkCallId(bad).ok, bad).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainRetcode, KNOWN_RETCODES } from '../../src/gateway/retcodes';

// Every code the reference (§8) lists individually, plus the families it lists as ranges.
const REFERENCE_CODES = [
  '0',
  '000-001',
  '000-002',
  '000-003',
  '000-004',
  '000-005',
  '000-006',
  '000-007',
  ...Array.from({ length: 21 }, (_, i) => `100-${String(i + 1).padStart(3, '0')}`),
  '110-016',
  '101-001',
  '101-007',
  '104-001',
  '104-002',
  '104-012',
  '105-001',
  '105-002',
  '105-003',
  '105-004',
  '105-005',
  '105-006',
  '105-007',
  '106-001',
  '106-004',
  '200-001',
  '200-018',
  '300-001',
  '300-002',
  '300-003',
  '300-004',
  '400-001',
  '400-002',
  '400-003',
  '500-001',
  '500-009',
  '600-001',
  '600-005',
  '700-001',
  '800-001',
  '900-001',
  '900-002',
  '900-003',
  '900-004',
  '900-005',
  '999-001',
];

describe('explainRetcode', () => {
  it('explains every code of the reference with a meaning and a next step', () => {
    for (const code of REFERENCE_CODES) {
      const e = explainRetcode(code);
      expect(e.kind, code).not.toBe('unknown');
      expect(e.meaning.length, code).toBeGreaterThan(5);
      expect(e.nextStep.length, code).toBeGreaterThan(5);
      expect(e.code).toBe(code);
    }
  });

  it('says "sign in again" for the session codes and nothing else', () => {
    for (const code of ['100-006', '000-003', '105-006']) {
      const e = explainRetcode(code);
      expect(e.sessionEnded).toBe(true);
      expect(e.meaning).toMatch(/session expired or was replaced/);
      expect(e.nextStep).toMatch(/\/qc signin/);
    }
    expect(explainRetcode('900-005').sessionEnded).toBe(false);
  });

  it('maps the QC codes a supervisor meets', () => {
    expect(explainRetcode('900-002').meaning).toMatch(/no QC permission on the CTI platform/);
    expect(explainRetcode('900-001')).toMatchObject({ kind: 'platform', retryable: true });
    expect(explainRetcode('900-003')).toMatchObject({ kind: 'platform', retryable: true });
    expect(explainRetcode('000-005').meaning).toMatch(/cannot monitor yourself/);
    expect(explainRetcode('100-002').nextStep).toMatch(/forced sign-in/);
  });

  it('handles unknown codes gracefully', () => {
    const e = explainRetcode('123-456');
    expect(e).toMatchObject({ kind: 'unknown', code: '123-456', sessionEnded: false });
    expect(e.meaning).toContain('123-456');
  });

  it('property: every known code maps to a non-empty explanation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN_RETCODES), (code) => {
        const e = explainRetcode(code);
        expect(e.meaning.trim()).not.toBe('');
        expect(e.nextStep.trim()).not.toBe('');
      }),
    );
  });

  it('property: any input never throws and never echoes unreadable text', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const e = explainRetcode(value);
        expect(e.meaning.length).toBeGreaterThan(0);
        expect(e.code.length).toBeLessThanOrEqual(16);
        expect(e.code).toMatch(/^[0-9A-Za-z-]+$|^\(unreadable\)$/);
      }),
      { numRuns: 3000 },
    );
  });
});

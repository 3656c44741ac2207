import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertOpValue,
  confirmValue,
  decodeButtonValue,
  encodeButtonValue,
  parseAlertOpValue,
  parseConfirmValue,
  parseQcOpValue,
  qcOpValue,
} from '../../src/slack/button-value';

const MAX = 59_999;
const ALERT = 'a1B2c3D4_e5-F6';

describe('button values', () => {
  it('any fields round-trip, whatever characters they hold', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }), (fields) => {
        expect(decodeButtonValue(encodeButtonValue(fields), fields.length)).toEqual(fields);
      }),
      { numRuns: 300 },
    );
  });

  it('IDs with ":", "|" and spaces stay one field', () => {
    for (const id of ['X:Y', '1456401416-3:1', 'a|b', 'has space', ':', '|:| %3A']) {
      const value = encodeButtonValue(['release-call', id]);
      expect(value.split(':')).toHaveLength(2);
      expect(decodeButtonValue(value, 2)).toEqual(['release-call', id]);
    }
  });

  it('plain IDs read as before', () => {
    expect(qcOpValue('listen', '2005')).toBe('listen:2005');
    expect(alertOpValue('stop', '2005', ALERT)).toBe(`stop:2005:${ALERT}`);
    expect(confirmValue('force-busy', '2003')).toBe('force-busy:2003');
  });

  it('release-call of "X:Y" is the call "X:Y", never "X"', () => {
    const value = confirmValue('release-call', '1456401416-3:5');
    expect(parseConfirmValue(value, MAX)).toEqual({ kind: 'release-call', callId: '1456401416-3:5' });
    // The old, unencoded form is refused rather than cut at its second ":".
    expect(parseConfirmValue('release-call:1456401416-3:5', MAX)).toBeUndefined();
  });

  it('what the builders write, the parsers read', () => {
    expect(parseQcOpValue(qcOpValue('stop', '2005'), MAX)).toEqual({ op: 'stop', agentId: '2005' });
    expect(parseAlertOpValue(alertOpValue('intercept', '2005', ALERT), MAX)).toEqual({
      op: 'intercept',
      agentId: '2005',
      alertId: ALERT,
    });
    expect(parseConfirmValue(confirmValue('force-idle', '2003'), MAX)).toEqual({
      kind: 'qc',
      op: 'force-idle',
      agentId: '2003',
    });
  });

  it('tampered values are refused', () => {
    const qcOp = [
      '',
      'listen',
      'listen:',
      'listen:abc',
      'listen:2005:extra',
      'frobnicate:2005',
      'force-busy:2005', // confirmed operations only through a confirmation
      'release-call:2005',
      'listen:%32005', // another encoding of 2005
      'listen:2005%',
      'listen: 2005',
      'listen:99',
      'listen:60000',
      'listen:-2005',
    ];
    for (const v of qcOp) expect(parseQcOpValue(v, MAX), v).toBeUndefined();
    const alert = [
      'listen:2005',
      'listen:2005:short',
      `listen:2005:${ALERT}:x`,
      `frobnicate:2005:${ALERT}`,
      `listen:abc:${ALERT}`,
      `listen:2005:${ALERT}%21`,
      `listen:2005:bad id with spaces`,
      `listen:2005:${'x'.repeat(65)}`,
    ];
    for (const v of alert) expect(parseAlertOpValue(v, MAX), v).toBeUndefined();
    const confirm = [
      'listen:2005',
      'force-busy:abc',
      'release-call:no spaces',
      'release-call:no%20spaces',
      'release-call:a%7Cb',
      'release-call:',
      'release-call',
      'frobnicate:2003',
      'force-busy:2003:x',
      'release-call:%E0%A4%A',
    ];
    for (const v of confirm) expect(parseConfirmValue(v, MAX), v).toBeUndefined();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AlertInput, parseAlert } from '../../src/alerts/payload';
import { DEFAULT_MAX_AGENT_ID, NEWER_GATEWAY_MAX_AGENT_ID } from '../../src/gateway/agent-id';

const MAX = DEFAULT_MAX_AGENT_ID;
const BASE = { channel: 'C0123ABCD', agentId: 2005, reason: 'Customer asked for a supervisor' };

const parse = (fields: Record<string, unknown>, max = MAX) => parseAlert(JSON.stringify(fields), max);

function alertOf(fields: Record<string, unknown>, max = MAX): AlertInput {
  const result = parse(fields, max);
  if (!result.ok) throw new Error(`expected ok, got ${result.message}`);
  return result.alert;
}

function expectError(fields: Record<string, unknown>, field: string, words: RegExp, max = MAX): void {
  const result = parse(fields, max);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.field).toBe(field);
  expect(result.message.startsWith(`${field}: `)).toBe(true);
  expect(result.message).toMatch(words);
}

describe('parseAlert: a valid alert', () => {
  it('needs channel, agentId and reason; severity defaults to warning', () => {
    expect(parse(BASE)).toEqual({
      ok: true,
      alert: {
        channel: 'C0123ABCD',
        agentId: '2005',
        reason: 'Customer asked for a supervisor',
        severity: 'warning',
      },
    });
  });

  it('keeps every optional field and ignores unknown ones', () => {
    const alert = alertOf({
      ...BASE,
      severity: 'critical',
      callId: '1456401416-3',
      customer: 'Ms Jones (+44 20 7946 0000)',
      details: 'Sentiment −0.8 for 40 s\nKeywords: cancel, manager',
      source: 'speech-analytics',
      score: 0.93,
    });
    expect(alert).toEqual({
      channel: 'C0123ABCD',
      agentId: '2005',
      reason: 'Customer asked for a supervisor',
      severity: 'critical',
      callId: '1456401416-3',
      customer: 'Ms Jones (+44 20 7946 0000)',
      details: 'Sentiment −0.8 for 40 s\nKeywords: cancel, manager',
    });
  });

  it('accepts Slack channel IDs and the local stack’s IDs', () => {
    for (const channel of [
      'C0123ABCD',
      'G012AB',
      'C12',
      'C_QC',
      'D_DEMO',
      'C_QC_ALERTS',
      `C${'A'.repeat(30)}`,
    ]) {
      expect(alertOf({ ...BASE, channel }).channel).toBe(channel);
    }
    expect(alertOf({ ...BASE, channel: '  C0123ABCD ' }).channel).toBe('C0123ABCD');
  });

  it('accepts the agent ID as a number or a string, trimmed, with an optional #', () => {
    for (const agentId of [2005, '2005', ' 2005 ', '#2005', '02005', 2005.0]) {
      expect(alertOf({ ...BASE, agentId }).agentId).toBe('2005');
    }
    expect(alertOf({ ...BASE, agentId: 101 }).agentId).toBe('101');
    expect(alertOf({ ...BASE, agentId: 59999 }).agentId).toBe('59999');
    expect(alertOf({ ...BASE, agentId: 250000 }, NEWER_GATEWAY_MAX_AGENT_ID).agentId).toBe('250000');
  });

  it('accepts each severity, any case', () => {
    for (const severity of ['info', 'warning', 'critical'])
      expect(alertOf({ ...BASE, severity }).severity).toBe(severity);
    expect(alertOf({ ...BASE, severity: ' Critical ' }).severity).toBe('critical');
    expect(alertOf({ ...BASE, severity: null }).severity).toBe('warning');
  });

  it('treats null and blank optional fields as absent', () => {
    const alert = alertOf({ ...BASE, callId: null, customer: '  ', details: '' });
    expect(alert).toEqual({ ...BASE, agentId: '2005', severity: 'warning' });
    expect(Object.keys(alert)).not.toContain('customer');
  });

  it('strips control characters: one-line fields become one line, details keep newlines', () => {
    const alert = alertOf({
      ...BASE,
      reason: 'Customer\u0007 asked\r\nfor a\tsupervisor\u202E',
      customer: '\u0000Ms\u001b[31m Jones\u0085',
      details: 'line 1\r\nline 2\rline\t3\u0000\n\n\n\nend\u2028',
    });
    expect(alert.reason).toBe('Customer asked for a supervisor');
    expect(alert.customer).toBe('Ms [31m Jones');
    expect(alert.details).toBe('line 1\nline 2\nline 3\n\nend');
  });

  it('accepts the length limits exactly (counted in characters)', () => {
    expect(alertOf({ ...BASE, reason: 'r'.repeat(300) }).reason).toHaveLength(300);
    expect(alertOf({ ...BASE, reason: '🙂'.repeat(300) }).reason).toBe('🙂'.repeat(300));
    expect(alertOf({ ...BASE, customer: 'c'.repeat(100) }).customer).toHaveLength(100);
    expect(alertOf({ ...BASE, details: 'd'.repeat(1000) }).details).toHaveLength(1000);
  });
});

describe('parseAlert: each refusal names its field', () => {
  it('body: not JSON, or not an object', () => {
    for (const body of ['', 'not json', '{"channel":', 'channel=C_QC&agentId=2005']) {
      expect(parseAlert(body, MAX)).toMatchObject({
        ok: false,
        field: 'body',
        message: expect.stringMatching(/^body: not JSON/),
      });
    }
    for (const [body, what] of [
      ['[]', 'an array'],
      ['null', 'null'],
      ['42', 'a number'],
      ['"alert"', 'a string'],
      ['true', 'a boolean'],
    ]) {
      expect(parseAlert(body as string, MAX)).toEqual({
        ok: false,
        field: 'body',
        message: `body: must be a JSON object (got ${what})`,
      });
    }
  });

  it('channel', () => {
    expectError({ ...BASE, channel: undefined }, 'channel', /required/);
    expectError({ ...BASE, channel: '' }, 'channel', /required/);
    expectError({ ...BASE, channel: 42 }, 'channel', /must be a string.*got a number/);
    expectError({ ...BASE, channel: '#qc' }, 'channel', /"#qc" is not a Slack channel ID/);
    for (const channel of [
      'qc',
      'c0123abcd',
      'U0123ABCD',
      'C1',
      'C0123 ABCD',
      `C${'A'.repeat(31)}`,
      'C-QC',
    ]) {
      expectError({ ...BASE, channel }, 'channel', /is not a Slack channel ID/);
    }
  });

  it('agentId', () => {
    expect(parse({ ...BASE, agentId: 'abc' })).toEqual({
      ok: false,
      field: 'agentId',
      message: 'agentId: "abc" is not an agent ID (digits only)',
    });
    expectError({ ...BASE, agentId: undefined }, 'agentId', /required/);
    expectError({ ...BASE, agentId: true }, 'agentId', /must be a number like 2005 \(got a boolean\)/);
    expectError({ ...BASE, agentId: [2005] }, 'agentId', /got an array/);
    for (const agentId of [-2005, 2005.5, '20 05', '2e3', '##2005', '12345678', 1e21]) {
      expectError({ ...BASE, agentId }, 'agentId', /is not an agent ID \(digits only\)/);
    }
    expectError(
      { ...BASE, agentId: 100 },
      'agentId',
      /100 is not an agent ID \(agent IDs run from 101 to 59999\)/,
    );
    expectError(
      { ...BASE, agentId: '60000' },
      'agentId',
      /"60000" is not an agent ID \(agent IDs run from 101 to 59999\)/,
    );
    expectError({ ...BASE, agentId: 1_000_000 }, 'agentId', /from 101 to 999999/, NEWER_GATEWAY_MAX_AGENT_ID);
  });

  it('reason', () => {
    expectError({ ...BASE, reason: undefined }, 'reason', /required/);
    expectError({ ...BASE, reason: '   ' }, 'reason', /required/);
    expectError({ ...BASE, reason: '\u0000\u0001' }, 'reason', /must not be empty/);
    expectError({ ...BASE, reason: 7 }, 'reason', /must be a string \(got a number\)/);
    expectError({ ...BASE, reason: 'r'.repeat(301) }, 'reason', /is 301 characters; at most 300/);
  });

  it('severity', () => {
    expectError(
      { ...BASE, severity: 'urgent' },
      'severity',
      /"urgent" is not one of "info", "warning", "critical"/,
    );
    expectError({ ...BASE, severity: 3 }, 'severity', /got a number/);
  });

  it('callId', () => {
    expect(alertOf({ ...BASE, callId: '1456401416-3' }).callId).toBe('1456401416-3');
    expect(alertOf({ ...BASE, callId: 1456401416 }).callId).toBe('1456401416');
    expectError(
      { ...BASE, callId: 'call id with spaces' },
      'callId',
      /is not a call ID \(a call ID looks like 1456401416-3\)/,
    );
    expectError({ ...BASE, callId: '-3' }, 'callId', /is not a call ID/);
    expectError({ ...BASE, callId: 'x'.repeat(129) }, 'callId', /is not a call ID/);
    expectError({ ...BASE, callId: { id: 1 } }, 'callId', /got an object/);
  });

  it('customer and details', () => {
    expectError({ ...BASE, customer: 'c'.repeat(101) }, 'customer', /is 101 characters; at most 100/);
    expectError({ ...BASE, customer: 5 }, 'customer', /must be a string/);
    expectError({ ...BASE, details: 'd'.repeat(1001) }, 'details', /is 1001 characters; at most 1000/);
    expectError({ ...BASE, details: ['a'] }, 'details', /got an array/);
  });

  it('reports the first bad field in the order channel, agentId, reason, severity, callId, customer, details', () => {
    expect(parse({ agentId: 'x', reason: '' })).toMatchObject({ field: 'channel' });
    expect(parse({ channel: 'C_QC', agentId: 'x', severity: 'x' })).toMatchObject({ field: 'agentId' });
  });

  it('shortens a long bad value in the message', () => {
    const result = parse({ ...BASE, agentId: 'a'.repeat(500) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeLessThan(100);
  });

  it('ignores inherited names: __proto__ carries nothing in', () => {
    const body = '{"__proto__":{"channel":"C_QC","agentId":2005,"reason":"x"}}';
    expect(parseAlert(body, MAX)).toMatchObject({ ok: false, field: 'channel' });
  });
});

describe('parseAlert: properties', () => {
  const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;

  const holds = (result: ReturnType<typeof parseAlert>): boolean => {
    if (!result.ok) return typeof result.field === 'string' && result.message.startsWith(`${result.field}: `);
    const a = result.alert;
    return (
      /^[CGD][A-Z0-9_]{2,30}$/.test(a.channel) &&
      /^[1-9][0-9]{2,6}$/.test(a.agentId) &&
      ['info', 'warning', 'critical'].includes(a.severity) &&
      [...a.reason].length >= 1 &&
      [...a.reason].length <= 300 &&
      !CONTROL.test(a.reason) &&
      (a.customer === undefined || ([...a.customer].length <= 100 && !CONTROL.test(a.customer))) &&
      (a.details === undefined || [...a.details].length <= 1000)
    );
  };

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (s) => holds(parseAlert(s, MAX))),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => holds(parseAlert(JSON.stringify(v) ?? 'null', MAX))),
      { numRuns: 2000 },
    );
  });

  it('never throws on alert-shaped objects with arbitrary field values, and results keep the invariants', () => {
    const anyValue = fc.oneof(
      fc.jsonValue(),
      fc.string({ unit: 'binary', maxLength: 1200 }),
      fc.integer(),
      fc.double(),
      fc.constantFrom('C_QC', 'C0123ABCD', '2005', '#2005', 'critical', 'info', '1456401416-3', '', ' '),
    );
    const alertish = fc.record(
      {
        channel: anyValue,
        agentId: anyValue,
        reason: anyValue,
        severity: anyValue,
        callId: anyValue,
        customer: anyValue,
        details: anyValue,
        extra: anyValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(alertish, fc.constantFrom(MAX, NEWER_GATEWAY_MAX_AGENT_ID), (obj, max) =>
        holds(parseAlert(JSON.stringify(obj), max)),
      ),
      { numRuns: 3000 },
    );
  });

  it('a valid alert survives arbitrary text in its text fields (cleaned, never refused for content)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 100 }),
        fc.string({ unit: 'binary', maxLength: 1000 }),
        (reason, customer, details) => {
          fc.pre(reason.replace(/[\p{Cc}\s\u202A-\u202E\u2066-\u2069\u2028\u2029]/gu, '') !== '');
          const result = parse({ ...BASE, reason, customer, details });
          return result.ok && holds(result);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

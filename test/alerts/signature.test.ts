import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signAlert, verifyAlertSignature } from '../../src/alerts/signature';

const SECRET = 'test-alerts-secret-3f9d1c7e';
const TS = 1_732_530_000;
const NOW_MS = TS * 1000;
const BODY = '{"channel":"C_QC","agentId":2005,"reason":"Customer asked for a supervisor"}';

const verify = (over: Partial<Parameters<typeof verifyAlertSignature>[0]> = {}) =>
  verifyAlertSignature({
    secret: SECRET,
    timestamp: String(TS),
    signature: signAlert(SECRET, TS, BODY),
    body: BODY,
    nowMs: NOW_MS,
    ...over,
  });

function expectRefused(result: ReturnType<typeof verifyAlertSignature>, words: RegExp): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.reason).toMatch(words);
  expect(result.reason).not.toContain(SECRET);
  expect(result.reason).not.toContain(signAlert(SECRET, TS, BODY).slice(3));
}

describe('signAlert', () => {
  it('is v1= + hex HMAC-SHA256 of v1:ts:body (computed independently)', () => {
    const expected = `v1=${createHmac('sha256', SECRET).update(`v1:${TS}:${BODY}`).digest('hex')}`;
    expect(signAlert(SECRET, TS, BODY)).toBe(expected);
    expect(signAlert(SECRET, TS, BODY)).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('signs the body as UTF-8', () => {
    const body = '{"reason":"Kundin möchte 🙂"}';
    const expected = createHmac('sha256', SECRET)
      .update(Buffer.from(`v1:${TS}:${body}`, 'utf8'))
      .digest('hex');
    expect(signAlert(SECRET, TS, body)).toBe(`v1=${expected}`);
  });
});

describe('verifyAlertSignature', () => {
  it('accepts its own signature (round trip)', () => {
    expect(verify()).toEqual({ ok: true });
  });

  it('accepts upper-case hex and spaces around the signature (not in the signed timestamp)', () => {
    const sig = signAlert(SECRET, TS, BODY);
    expect(verify({ signature: `  v1=${sig.slice(3).toUpperCase()} ` })).toEqual({ ok: true });
    expectRefused(verify({ timestamp: ` ${TS}` }), /not a number of seconds/);
  });

  it('refuses a missing or empty timestamp header', () => {
    expectRefused(verify({ timestamp: undefined }), /x-qc-timestamp header is missing/);
    expectRefused(verify({ timestamp: '' }), /x-qc-timestamp header is missing/);
    expectRefused(verify({ timestamp: '   ' }), /x-qc-timestamp header is missing/);
  });

  it('refuses a missing or empty signature header', () => {
    expectRefused(verify({ signature: undefined }), /x-qc-signature header is missing/);
    expectRefused(verify({ signature: '' }), /x-qc-signature header is missing/);
  });

  it('refuses a non-numeric timestamp', () => {
    for (const ts of ['abc', '1732530000.5', '-1732530000', '+1732530000', '1e9', '0x6745', '17325 30000']) {
      expectRefused(verify({ timestamp: ts }), /not a number of seconds/);
    }
    expectRefused(verify({ timestamp: '1'.repeat(13) }), /not a number of seconds/);
  });

  it('accepts the window edges and refuses one second beyond, in both directions', () => {
    const at = (deltaSeconds: number, extraMs = 0) =>
      verify({ nowMs: NOW_MS + deltaSeconds * 1000 + extraMs });
    expect(at(300)).toEqual({ ok: true });
    expect(at(300, 999)).toEqual({ ok: true }); // still second 300
    expect(at(-300)).toEqual({ ok: true });
    expectRefused(at(301), /301 s in the past.*±300 s window/);
    expectRefused(at(-301), /301 s in the future.*±300 s window/);
    expectRefused(at(86_400), /in the past/);
    expectRefused(verify({ timestamp: '0', signature: signAlert(SECRET, 0, BODY) }), /in the past/);
  });

  it('honours a custom window', () => {
    expect(verify({ nowMs: NOW_MS + 60_000, windowSeconds: 60 })).toEqual({ ok: true });
    expectRefused(verify({ nowMs: NOW_MS + 61_000, windowSeconds: 60 }), /±60 s window/);
  });

  it('refuses a wrong version prefix', () => {
    const hex = signAlert(SECRET, TS, BODY).slice(3);
    for (const sig of [`v0=${hex}`, `v2=${hex}`, hex, `V1=${hex}`, `v1:${hex}`, `sha256=${hex}`]) {
      expectRefused(verify({ signature: sig }), /must start with "v1="/);
    }
  });

  it('refuses a wrong length or non-hex digits', () => {
    const hex = signAlert(SECRET, TS, BODY).slice(3);
    expectRefused(verify({ signature: `v1=${hex.slice(0, 63)}` }), /64 hex digits \(got 63/);
    expectRefused(verify({ signature: `v1=${hex}0` }), /64 hex digits \(got 65/);
    expectRefused(verify({ signature: 'v1=' }), /64 hex digits \(got 0/);
    expectRefused(verify({ signature: `v1=${'z'.repeat(64)}` }), /hex digits/);
    expectRefused(verify({ signature: `v1=${hex.slice(0, 62)}é1` }), /hex digits/);
  });

  it('refuses a mismatch: other secret, other body, other timestamp', () => {
    expectRefused(verify({ signature: signAlert('another-secret', TS, BODY) }), /does not match/);
    expectRefused(verify({ body: `${BODY} ` }), /does not match/);
    expectRefused(verify({ timestamp: String(TS + 1) }), /does not match/);
    expectRefused(verify({ signature: `v1=${'0'.repeat(64)}` }), /does not match/);
  });

  it('refuses everything when the server has no secret', () => {
    expectRefused(verify({ secret: '' }), /no alerts secret configured/);
    expectRefused(verify({ secret: '', signature: signAlert('', TS, BODY) }), /no alerts secret configured/);
  });

  it('refuses when the clock is unusable', () => {
    expectRefused(verify({ nowMs: Number.NaN }), /clock/);
  });

  it('property: any tampering with the body fails', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (body, other) => {
        fc.pre(body !== other);
        const signature = signAlert(SECRET, TS, body);
        const result = verifyAlertSignature({
          secret: SECRET,
          timestamp: String(TS),
          signature,
          body: other,
          nowMs: NOW_MS,
        });
        return !result.ok && /does not match/.test(result.reason);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: a one-character edit of a signed body fails', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 1 }),
        (body, at, ch) => {
          const i = at % body.length;
          const edited = body.slice(0, i) + ch + body.slice(i + 1);
          fc.pre(edited !== body);
          const signature = signAlert(SECRET, TS, body);
          return !verifyAlertSignature({
            secret: SECRET,
            timestamp: String(TS),
            signature,
            body: edited,
            nowMs: NOW_MS,
          }).ok;
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('property: any other timestamp inside the window fails', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: -300, max: 300 }), (body, delta) => {
        fc.pre(delta !== 0);
        const signature = signAlert(SECRET, TS, body);
        const result = verifyAlertSignature({
          secret: SECRET,
          timestamp: String(TS + delta),
          signature,
          body,
          nowMs: NOW_MS,
        });
        return !result.ok && /does not match/.test(result.reason);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: a signature made now verifies for any body and any time inside the window', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.integer({ min: -300_999, max: 300_999 }),
        (body, skewMs) => {
          fc.pre(Math.abs(Math.floor((NOW_MS + skewMs) / 1000) - TS) <= 300);
          const signature = signAlert(SECRET, TS, body);
          return verifyAlertSignature({
            secret: SECRET,
            timestamp: String(TS),
            signature,
            body,
            nowMs: NOW_MS + skewMs,
          }).ok;
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('property: never throws and never quotes the secret or expected signature, whatever the headers', () => {
    const expectedHex = signAlert(SECRET, TS, BODY).slice(3);
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.option(
          fc.oneof(
            fc.string(),
            fc.string().map((s) => `v1=${s}`),
          ),
          { nil: undefined },
        ),
        (timestamp, signature) => {
          const result = verifyAlertSignature({
            secret: SECRET,
            timestamp,
            signature,
            body: BODY,
            nowMs: NOW_MS,
          });
          if (result.ok) return false;
          return !result.reason.includes(SECRET) && !result.reason.includes(expectedHex);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('the shell recipe in docs/alerts.md', () => {
  it('printf | openssl dgst -hmac | sed gives the same signature as signAlert', async () => {
    const { execFileSync } = await import('node:child_process');
    let openssl = true;
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
    } catch {
      openssl = false;
    }
    if (!openssl) return; // no openssl here: nothing to compare with
    const body =
      '{"channel":"C_QC","agentId":"2005","reason":"Customer asked for a supervisor","details":"50% off?"}';
    const script = `sig="v1=$(printf 'v1:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$ALERTS_SECRET" -hex | sed 's/^.* //')"; printf '%s' "$sig"`;
    const out = execFileSync('sh', ['-c', script], {
      env: { PATH: process.env.PATH ?? '', ts: String(TS), body, ALERTS_SECRET: SECRET },
      encoding: 'utf8',
    });
    expect(out).toBe(signAlert(SECRET, TS, body));
  });
});

/**
 * Signing of monitoring alerts, modelled on Slack's request signing:
 *   x-qc-timestamp: <Unix seconds>
 *   x-qc-signature: v1=<hex HMAC-SHA256(ALERTS_SECRET, `v1:${timestamp}:${rawBody}`)>
 * The timestamp must be within ±windowSeconds (default 300) of the server's clock, which bounds replays.
 * Refusal reasons are plain words for the sender; they never contain the secret or the expected signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_VERSION = 'v1';
export const DEFAULT_WINDOW_SECONDS = 300;

const HEX_LENGTH = 64; // SHA-256 → 32 bytes → 64 hex digits

function hmacHex(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${SIGNATURE_VERSION}:${timestamp}:${body}`).digest('hex');
}

/** `v1=` + hex HMAC-SHA256 of `v1:{timestampSeconds}:{body}` keyed with the alerts secret. */
export function signAlert(secret: string, timestampSeconds: number, body: string): string {
  return `${SIGNATURE_VERSION}=${hmacHex(secret, String(timestampSeconds), body)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifyAlertSignature(a: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  nowMs: number;
  windowSeconds?: number;
}): SignatureCheck {
  if (typeof a.secret !== 'string' || a.secret === '') {
    return { ok: false, reason: 'the server has no alerts secret configured, so no alert can be verified' };
  }
  // The timestamp is signed as sent: not trimmed (HTTP already strips spaces around header values).
  const timestamp = typeof a.timestamp === 'string' ? a.timestamp : '';
  const signature = typeof a.signature === 'string' ? a.signature.trim() : '';
  if (timestamp.trim() === '') return { ok: false, reason: 'the x-qc-timestamp header is missing' };
  if (signature === '') return { ok: false, reason: 'the x-qc-signature header is missing' };
  if (!/^[0-9]{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'the x-qc-timestamp header is not a number of seconds since 1970' };
  }

  const window = a.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const nowSeconds = Math.floor(a.nowMs / 1000);
  const skew = nowSeconds - Number(timestamp);
  if (!Number.isFinite(skew)) return { ok: false, reason: "the server's clock could not be read" };
  if (Math.abs(skew) > window) {
    const when = skew > 0 ? `${skew} s in the past` : `${-skew} s in the future`;
    return {
      ok: false,
      reason: `the x-qc-timestamp is ${when}, outside the ±${window} s window (check the sender's clock, and sign each request when it is sent)`,
    };
  }

  const prefix = `${SIGNATURE_VERSION}=`;
  if (!signature.startsWith(prefix)) {
    return { ok: false, reason: `the x-qc-signature header must start with "${prefix}"` };
  }
  const given = signature.slice(prefix.length);
  if (given.length !== HEX_LENGTH) {
    return {
      ok: false,
      reason: `the x-qc-signature must be "${prefix}" followed by ${HEX_LENGTH} hex digits (got ${given.length} characters)`,
    };
  }
  if (!/^[0-9a-fA-F]+$/.test(given)) {
    return { ok: false, reason: `the x-qc-signature must be "${prefix}" followed by hex digits` };
  }

  const expected = Buffer.from(hmacHex(a.secret, timestamp, a.body), 'hex');
  const received = Buffer.from(given, 'hex');
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return {
      ok: false,
      reason:
        'the x-qc-signature does not match the body and timestamp (check ALERTS_SECRET, and sign the raw body exactly as sent)',
    };
  }
  return { ok: true };
}

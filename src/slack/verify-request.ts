import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import type { AwsLambdaReceiver } from '@slack/bolt';

/** The API Gateway event the receiver's handler takes. */
export type AwsEvent = Parameters<ReturnType<AwsLambdaReceiver['toHandler']>>[0];

/** Slack's replay window: a request signed more than this far from now, either way, is refused. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export type SlackRequestVerdict =
  | { ok: true; rawBody: string }
  | { ok: false; status: 400 | 401; reason: string };

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/** The body exactly as Slack sent it (API Gateway base64-encodes some). */
function rawBodyOf(event: AwsEvent): string {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

function signatureMatches(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether Bolt's AwsLambdaReceiver can parse `body` (it throws, and answers 500, when it cannot). */
function boltCanParse(body: string, contentType: string | undefined): boolean {
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const { payload } = parseQuery(body);
      if (typeof payload === 'string') JSON.parse(payload);
      return true;
    }
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** Slack's `ssl_check` probe: Bolt answers it with 200 before any check and does nothing else. */
function isSslCheck(body: string, contentType: string | undefined): boolean {
  return contentType === 'application/x-www-form-urlencoded' && parseQuery(body).ssl_check !== undefined;
}

/**
 * Checks a request to the Slack function before Bolt reads it: the `v0` signature over the raw body,
 * a timestamp within 5 minutes of `nowSeconds` in either direction (Bolt refuses only old ones), and
 * then a body Bolt can parse. Unsigned, forged, stale or future-dated → 401; signed but broken → 400.
 */
export function verifySlackRequest(
  event: AwsEvent,
  signingSecret: string,
  nowSeconds: number,
): SlackRequestVerdict {
  const rawBody = rawBodyOf(event);
  const contentType = header(event.headers, 'content-type');
  if (isSslCheck(rawBody, contentType)) return { ok: true, rawBody };
  const timestamp = header(event.headers, 'x-slack-request-timestamp') ?? '';
  const signature = header(event.headers, 'x-slack-signature') ?? '';
  if (!/^[0-9]{1,12}$/.test(timestamp)) return { ok: false, status: 401, reason: 'no timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    return { ok: false, status: 401, reason: 'timestamp outside the 5-minute window' };
  }
  if (!signatureMatches(signingSecret, timestamp, rawBody, signature)) {
    return { ok: false, status: 401, reason: 'bad signature' };
  }
  if (!boltCanParse(rawBody, contentType)) return { ok: false, status: 400, reason: 'body is not parseable' };
  return { ok: true, rawBody };
}

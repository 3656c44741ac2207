import { describe, expect, it } from 'vitest';
import { apiGatewayEvent, signedHeaders } from '../../local/slack-sign';
import { verifySlackRequest } from '../../src/slack/verify-request';

const SECRET = 'verify-request-test-secret';
const NOW = 1_800_000_000;

function event(
  body: string,
  opts: { timestamp?: number; secret?: string; base64?: boolean; json?: boolean } = {},
) {
  const headers = signedHeaders(opts.secret ?? SECRET, body, {
    timestamp: opts.timestamp ?? NOW,
    ...(opts.json ? { contentType: 'application/json' } : {}),
  });
  return apiGatewayEvent({ body, headers, ...(opts.base64 ? { base64: true } : {}) });
}

describe('verifySlackRequest', () => {
  it('accepts a signed request within 5 minutes either way, and hands back the raw body', () => {
    for (const skew of [0, 299, -299, 300, -300]) {
      expect(
        verifySlackRequest(event('token=t&command=%2Fqc', { timestamp: NOW + skew }), SECRET, NOW),
      ).toEqual({
        ok: true,
        rawBody: 'token=t&command=%2Fqc',
      });
    }
  });

  it('refuses a timestamp more than 5 minutes away, a forged signature, missing headers: 401', () => {
    const body = 'token=t&command=%2Fqc';
    for (const skew of [301, -301, 3_600, -3_600]) {
      expect(verifySlackRequest(event(body, { timestamp: NOW + skew }), SECRET, NOW)).toMatchObject({
        status: 401,
      });
    }
    expect(verifySlackRequest(event(body, { secret: 'forged' }), SECRET, NOW)).toMatchObject({ status: 401 });
    expect(verifySlackRequest(apiGatewayEvent({ body, headers: {} }), SECRET, NOW)).toMatchObject({
      status: 401,
    });
  });

  it('decodes a base64 body (non-ASCII included) before checking the signature', () => {
    const body = JSON.stringify({ type: 'event_callback', event: { text: 'Grüße 👋' } });
    expect(verifySlackRequest(event(body, { base64: true, json: true }), SECRET, NOW)).toEqual({
      ok: true,
      rawBody: body,
    });
  });

  it('a signed body Bolt cannot parse: 400', () => {
    expect(verifySlackRequest(event('payload=%7Bnope'), SECRET, NOW)).toMatchObject({ status: 400 });
    expect(verifySlackRequest(event('{"type":', { json: true }), SECRET, NOW)).toMatchObject({ status: 400 });
  });

  it("lets Slack's ssl_check through unsigned (Bolt answers it 200 and does nothing)", () => {
    const ssl = apiGatewayEvent({
      body: 'ssl_check=1&token=t',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(verifySlackRequest(ssl, SECRET, NOW).ok).toBe(true);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, gatewayConfig } from '../src/config';

describe('gatewayConfig', () => {
  it('names the missing variable', () => {
    expect(() => gatewayConfig({})).toThrow(ConfigError);
    expect(() => gatewayConfig({})).toThrow(/CCGW_BASE_URL/);
  });

  it('uses defaults that suit a 10 s long poll and a < 3 s QC call', () => {
    const c = gatewayConfig({ CCGW_BASE_URL: 'https://10.0.0.5:8043' });
    expect(c).toMatchObject({
      requestTimeoutMs: 5000,
      pollTimeoutMs: 15000,
      maxAgentId: 59999,
      insecureSkipVerify: false,
      stickyCookies: false,
    });
  });

  it('reads the CA file and rejects bad values by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-cfg-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    expect(gatewayConfig({ CCGW_BASE_URL: 'https://gw:8043', CCGW_CA_FILE: ca }).caPem?.toString()).toContain(
      'BEGIN',
    );
    expect(() => gatewayConfig({ CCGW_BASE_URL: 'https://gw', CCGW_CA_FILE: join(dir, 'nope.pem') })).toThrow(
      /CCGW_CA_FILE/,
    );
    expect(() => gatewayConfig({ CCGW_BASE_URL: 'https://gw', CCGW_MAX_AGENT_ID: '5' })).toThrow(
      /CCGW_MAX_AGENT_ID/,
    );
    expect(() => gatewayConfig({ CCGW_BASE_URL: 'https://gw', CCGW_STICKY_COOKIES: 'maybe' })).toThrow(
      /CCGW_STICKY_COOKIES/,
    );
    expect(() => gatewayConfig({ CCGW_BASE_URL: 'ftp://gw' })).toThrow(/https/);
    expect(gatewayConfig({ CCGW_BASE_URL: 'https://gw', CCGW_MAX_AGENT_ID: '999999' }).maxAgentId).toBe(
      999999,
    );
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ackConfig,
  adminUserIdsConfig,
  ConfigError,
  gatewayConfig,
  socketModeConfig,
  workerConfig,
  workerLimitsConfig,
} from '../src/config';

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
      stickyCookies: true, // load-balancer cookies are sent back by default (real clients do)
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

describe('socketModeConfig (npm start against a real workspace)', () => {
  it('is off without tokens, on with both', () => {
    expect(socketModeConfig({})).toBeUndefined();
    expect(socketModeConfig({ SLACK_APP_TOKEN: ' xapp-1 ', SLACK_BOT_TOKEN: 'xoxb-2' })).toEqual({
      appToken: 'xapp-1',
      botToken: 'xoxb-2',
    });
  });
  it('names the missing or wrong token, never echoing a token', () => {
    expect(() => socketModeConfig({ SLACK_APP_TOKEN: 'xapp-secret' })).toThrow(/SLACK_BOT_TOKEN is not set/);
    expect(() => socketModeConfig({ SLACK_BOT_TOKEN: 'xoxb-secret' })).toThrow(/SLACK_APP_TOKEN is not set/);
    for (const env of [
      { SLACK_APP_TOKEN: 'xoxb-secret', SLACK_BOT_TOKEN: 'xoxb-secret' },
      { SLACK_APP_TOKEN: 'xapp-secret', SLACK_BOT_TOKEN: 'xapp-secret' },
    ]) {
      let message = '';
      try {
        socketModeConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        message = (err as Error).message;
      }
      expect(message).toMatch(/must be/);
      expect(message).not.toContain('secret');
    }
  });
  it('reads admins comma or space separated', () => {
    expect([...adminUserIdsConfig({ QC_ADMIN_USER_IDS: 'U1, U2  U3' })]).toEqual(['U1', 'U2', 'U3']);
    expect(adminUserIdsConfig({}).size).toBe(0);
  });
});

describe('workerLimitsConfig', () => {
  it('defaults match serverless.yml (worker timeout 30 s, maxReceiveCount 3) and a 60 s job age', () => {
    expect(workerLimitsConfig({})).toEqual({
      workerTimeoutMs: 30_000,
      jobMaxAgeMs: 60_000,
      maxReceiveCount: 3,
      takeoverAnswerMs: 30_000,
    });
    expect(workerLimitsConfig({ WORKER_TIMEOUT_MS: '2000', QC_JOB_MAX_AGE_MS: '5000' })).toMatchObject({
      workerTimeoutMs: 2000,
      jobMaxAgeMs: 5000,
    });
  });

  it('names a bad variable', () => {
    expect(() => workerLimitsConfig({ WORKER_TIMEOUT_MS: 'soon' })).toThrow(/WORKER_TIMEOUT_MS/);
    expect(() => workerLimitsConfig({ QC_JOB_MAX_AGE_MS: '0' })).toThrow(/QC_JOB_MAX_AGE_MS/);
    expect(() => workerLimitsConfig({ QUEUE_MAX_RECEIVE_COUNT: '-1' })).toThrow(/QUEUE_MAX_RECEIVE_COUNT/);
    expect(() => workerLimitsConfig({ TAKEOVER_ANSWER_MS: 'half a minute' })).toThrow(/TAKEOVER_ANSWER_MS/);
    expect(workerLimitsConfig({}).takeoverAnswerMs).toBe(30_000);
    expect(workerLimitsConfig({ TAKEOVER_ANSWER_MS: '1500' }).takeoverAnswerMs).toBe(1500);
  });
});

describe("the functions' configurations (read once at cold start, wired by src/runtime/)", () => {
  const base = {
    SLACK_SIGNING_SECRET: 'signing',
    SLACK_BOT_TOKEN: 'xoxb-1',
    TABLE_NAME: 'qc',
    AWS_ACCESS_KEY_ID: 'AKID',
    AWS_SECRET_ACCESS_KEY: 'key',
    CCGW_BASE_URL: 'https://10.0.0.5:8043',
  };

  it('the Slack function needs QUEUE_URL and AWS credentials: ConfigErrors that name them', () => {
    expect(() => ackConfig(base)).toThrow(ConfigError);
    expect(() => ackConfig(base)).toThrow(/^QUEUE_URL is not set/);
    const noKey = { ...base, QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q.fifo' } as Record<
      string,
      string | undefined
    >;
    noKey.AWS_SECRET_ACCESS_KEY = undefined;
    expect(() => ackConfig(noKey)).toThrow(ConfigError);
    expect(() => ackConfig(noKey)).toThrow(/AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY are not set/);
  });

  it('the worker reads its table, gateway, policy and limits in one go', () => {
    const c = workerConfig({ ...base, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' });
    expect(c.table).toEqual({
      tableName: 'qc',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:8000',
      auditRetentionDays: 90,
    });
    expect(c.gateway.baseUrl).toBe('https://10.0.0.5:8043');
    expect(c.limits.maxReceiveCount).toBe(3);
    expect(() => workerConfig({ ...base, CCGW_BASE_URL: '' })).toThrow(ConfigError);
  });
});

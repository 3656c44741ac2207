/**
 * Secrets from SSM SecureString parameters (`<NAME>_PARAM`), read in one signed GetParameters call at
 * cold start, against the local fake SSM; plain variables still win (local stack, tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSsm, startFakeSsm } from '../../local/fake-ssm';
import { ConfigError, secretSourceConfig } from '../../src/config';
import { SecretsError, withSecrets } from '../../src/runtime/secrets';

const SIGNING = 'ssm-signing-secret-0123456789';
const TOKEN = 'xoxb-ssm-bot-token';
const ALERTS = 'ssm-alerts-secret-0123456789';

let ssm: FakeSsm;

beforeAll(async () => {
  ssm = await startFakeSsm({
    '/qc-slack/t/slack-signing-secret': { value: SIGNING },
    '/qc-slack/t/slack-bot-token': { value: TOKEN },
    '/qc-slack/t/alerts-secret': { value: ALERTS },
    '/qc-slack/t/plain': { value: 'not-encrypted', type: 'String' },
  });
});
afterAll(() => ssm.close());

const base = () => ({
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'secret-key',
  AWS_SESSION_TOKEN: 'session',
  AWS_ENDPOINT_URL_SSM: ssm.url,
});

describe('withSecrets', () => {
  it('reads every *_PARAM secret in one signed GetParameters call with decryption', async () => {
    const before = ssm.calls.length;
    const env = await withSecrets({
      ...base(),
      SLACK_SIGNING_SECRET_PARAM: '/qc-slack/t/slack-signing-secret',
      SLACK_BOT_TOKEN_PARAM: '/qc-slack/t/slack-bot-token',
      ALERTS_SECRET_PARAM: '/qc-slack/t/alerts-secret',
    });
    expect(env.SLACK_SIGNING_SECRET).toBe(SIGNING);
    expect(env.SLACK_BOT_TOKEN).toBe(TOKEN);
    expect(env.ALERTS_SECRET).toBe(ALERTS);
    expect(ssm.calls.slice(before)).toEqual([
      {
        names: [
          '/qc-slack/t/slack-signing-secret',
          '/qc-slack/t/slack-bot-token',
          '/qc-slack/t/alerts-secret',
        ],
        withDecryption: true,
        signed: true,
      },
    ]);
  });

  it('asks SSM nothing when the secrets are set directly (local stack, tests)', async () => {
    const before = ssm.calls.length;
    const direct = {
      ...base(),
      SLACK_BOT_TOKEN: 'xoxb-direct',
      SLACK_BOT_TOKEN_PARAM: '/qc-slack/t/slack-bot-token',
    };
    const env = await withSecrets(direct);
    expect(env.SLACK_BOT_TOKEN).toBe('xoxb-direct');
    expect(ssm.calls.length).toBe(before);
  });

  it('fetches only the secrets that are not set directly', async () => {
    const before = ssm.calls.length;
    const env = await withSecrets({
      ...base(),
      SLACK_BOT_TOKEN: 'xoxb-direct',
      ALERTS_SECRET_PARAM: '/qc-slack/t/alerts-secret',
    });
    expect(env.SLACK_BOT_TOKEN).toBe('xoxb-direct');
    expect(env.ALERTS_SECRET).toBe(ALERTS);
    expect(ssm.calls.slice(before).map((c) => c.names)).toEqual([['/qc-slack/t/alerts-secret']]);
  });

  it('names a missing parameter, without any value', async () => {
    const err = await withSecrets({
      ...base(),
      SLACK_BOT_TOKEN_PARAM: '/qc-slack/t/slack-bot-token',
      SLACK_SIGNING_SECRET_PARAM: '/qc-slack/t/nope',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretsError);
    expect((err as Error).message).toMatch(/\/qc-slack\/t\/nope.*SLACK_SIGNING_SECRET_PARAM/);
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it('refuses a secret stored as a plain String parameter, without its value', async () => {
    const err = await withSecrets({ ...base(), ALERTS_SECRET_PARAM: '/qc-slack/t/plain' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SecretsError);
    expect((err as Error).message).toMatch(/\/qc-slack\/t\/plain.*SecureString/);
    expect((err as Error).message).not.toContain('not-encrypted');
  });

  it('turns an SSM error into its type only (access denied, KMS)', async () => {
    ssm.failWith = { type: 'AccessDeniedException', message: `denied for ${TOKEN}` };
    try {
      const err = await withSecrets({
        ...base(),
        SLACK_BOT_TOKEN_PARAM: '/qc-slack/t/slack-bot-token',
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SecretsError);
      expect((err as Error).message).toContain('AccessDeniedException');
      expect((err as Error).message).not.toContain(TOKEN);
    } finally {
      ssm.failWith = undefined;
    }
  });
});

it('names the parameters and the network error when SSM cannot be reached', async () => {
  const err = await withSecrets({
    ...base(),
    AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9',
    SLACK_BOT_TOKEN_PARAM: '/qc-slack/t/slack-bot-token',
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SecretsError);
  expect((err as Error).message).toMatch(/ECONNREFUSED.*\/qc-slack\/t\/slack-bot-token/);
});

describe('secretSourceConfig', () => {
  it('uses the regional SSM endpoint unless AWS_ENDPOINT_URL_SSM is set', () => {
    const c = secretSourceConfig({ AWS_REGION: 'eu-west-1', SLACK_BOT_TOKEN_PARAM: '/a/b' });
    expect(c).toEqual({
      params: { SLACK_BOT_TOKEN: '/a/b' },
      region: 'eu-west-1',
      endpoint: 'https://ssm.eu-west-1.amazonaws.com',
    });
  });

  it('rejects a parameter name that SSM would not accept, by variable', () => {
    expect(() => secretSourceConfig({ SLACK_BOT_TOKEN_PARAM: 'xoxb-looks-like-a-token value' })).toThrow(
      ConfigError,
    );
    expect(() => secretSourceConfig({ SLACK_BOT_TOKEN_PARAM: 'has space' })).toThrow(/SLACK_BOT_TOKEN_PARAM/);
  });
});

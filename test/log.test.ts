/**
 * src/log.ts: one JSON object per line, one `msg` per line, and no credential in any line at any
 * level, whether it sits under a credential key at any depth or inside a string.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, registerSecretValue } from '../src/log';

function capture(level = 'debug') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(level, stream), lines };
}

const GUID = '0f3c2a91-5b7d-4e2a-9c11-8d6f0a7b3e55.AgentGateway1';

describe('log lines', () => {
  it('an error line has exactly one msg: the message; the error text is kept as errorMessage', () => {
    const { logger, lines } = capture();
    const err = new Error('connect ECONNREFUSED 127.0.0.1:9');
    logger.error({ request: 'r1', error: err.name, msg: err.message }, 'job failed');
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(line.match(/"msg":/g)).toHaveLength(1);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      msg: 'job failed',
      errorMessage: 'connect ECONNREFUSED 127.0.0.1:9',
      error: 'Error',
      request: 'r1',
    });
  });

  it('an object msg with no message string stays the one msg', () => {
    const { logger, lines } = capture();
    logger.warn({ msg: 'only this' });
    const parsed = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect((lines[0] ?? '').match(/"msg":/g)).toHaveLength(1);
    expect(parsed.msg).toBe('only this');
  });
});

describe('credentials in log lines', () => {
  it('are redacted under credential keys at any depth, in any case or spelling', () => {
    const { logger, lines } = capture();
    logger.debug(
      {
        a: {
          b: { c: { d: { guid: GUID, Password: 'pw-deep-1', headers: { service_token: 'st-deep-2' } } } },
        },
        list: [{ serviceToken: 'st-deep-3' }, { Authorization: 'Bearer xyz-deep-4' }],
        signingSecret: 'sign-deep-5',
        botToken: 'xoxb-deep-6',
        passwordDaysLeft: 12,
        hasGuid: true,
      },
      'deep',
    );
    const line = lines.join('\n');
    for (const secret of [GUID, 'pw-deep-1', 'st-deep-2', 'st-deep-3', 'xyz-deep-4', 'sign-deep-5', 'deep-6'])
      expect(line).not.toContain(secret);
    const parsed = JSON.parse(lines[0] ?? '') as { passwordDaysLeft: number; hasGuid: boolean };
    expect(parsed.passwordDaysLeft).toBe(12); // numbers and flags are not credentials
    expect(parsed.hasGuid).toBe(true);
  });

  it('are scrubbed inside strings: Guids, Slack tokens, key=value and "key":"value" pairs', () => {
    const { logger, lines } = capture();
    logger.info(
      { detail: `gateway said Set-GUID: JSESSIONID=${GUID}` },
      `AWS event: {"body":"payload=%7B%22password%22%3A%22pw-in-body%22%7D","x":"{\\"password\\":\\"pw-json\\"}"} token xoxb-1234-abcd guid=${GUID}`,
    );
    logger.error(new Error(`bad Guid ${GUID} for service_token=st-in-error`));
    const text = lines.join('\n');
    for (const secret of [GUID, GUID.slice(0, 8), 'pw-json', 'pw-in-body', 'xoxb-1234-abcd', 'st-in-error'])
      expect(text).not.toContain(secret);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('registered secret values (the signing secret, the bot token) are scrubbed wherever they appear', () => {
    const { logger, lines } = capture();
    registerSecretValue('a-registered-signing-secret-value');
    logger.warn({ note: 'x a-registered-signing-secret-value y' }, 'with a-registered-signing-secret-value');
    expect(lines.join('\n')).not.toContain('a-registered-signing-secret-value');
  });
});

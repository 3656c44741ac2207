/** src/errors.ts: what a log line says about a failure, whatever was thrown, with no credential in it. */
import { describe, expect, it } from 'vitest';
import { errorSummary } from '../src/errors';
import { registerSecretValue } from '../src/log';
import { StoreError } from '../src/store/types';

const GUID = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9.AgentGateway2';

describe('errorSummary', () => {
  it('an Error: its name and message', () => {
    expect(errorSummary(new TypeError('bad thing'))).toEqual({ name: 'TypeError', message: 'bad thing' });
  });

  it('scrubs Guids, Slack tokens, key=value credentials, registered secrets and the secrets it is given', () => {
    registerSecretValue('registered-signing-secret-77');
    const err = new Error(
      `gateway said ${GUID}; token xoxb-123-456-abcdef; password=hunter22; registered-signing-secret-77; alert-secret-5`,
    );
    const { message } = errorSummary(err, 'alert-secret-5');
    for (const secret of [GUID, 'xoxb-123', 'hunter22', 'registered-signing-secret-77', 'alert-secret-5'])
      expect(message).not.toContain(secret);
    expect(message).toMatch(/^gateway said /);
  });

  it('a thrown value that is not an Error: its type and text', () => {
    expect(errorSummary('just a string')).toEqual({ name: 'string', message: 'just a string' });
    expect(errorSummary(42)).toEqual({ name: 'number', message: '42' });
    expect(errorSummary(undefined)).toEqual({ name: 'undefined', message: 'undefined' });
    expect(errorSummary(null)).toEqual({ name: 'null', message: 'null' });
    expect(errorSummary(`the ${GUID}`).message).not.toContain(GUID);
    expect(errorSummary({ name: 'ThrottlingException', message: 'slow down' })).toEqual({
      name: 'ThrottlingException',
      message: 'slow down',
    });
  });

  it('an AWS SDK error: its HTTP status from $metadata; a Node or Slack error: its code', () => {
    const aws = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'REQ1', attempts: 3 },
    });
    expect(errorSummary(aws)).toEqual({
      name: 'ThrottlingException',
      message: 'Rate of requests exceeds the allowed throughput.',
      status: 400,
    });
    const net = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(errorSummary(net)).toMatchObject({ name: 'Error', code: 'ECONNREFUSED' });
    const slack = Object.assign(new Error('An API error occurred: channel_not_found'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'channel_not_found' },
    });
    expect(errorSummary(slack)).toMatchObject({ code: 'slack_webapi_platform_error' });
  });

  it('a StoreError: its own words and code, never its cause (which may quote an item)', () => {
    const cause = Object.assign(new Error(`ValidationException near ${GUID}`), {
      name: 'ValidationException',
    });
    const summary = errorSummary(new StoreError('PutItem', 'session', cause));
    expect(summary).toEqual({
      name: 'StoreError',
      message: 'DynamoDB PutItem of a session record failed (ValidationException)',
      code: 'ValidationException',
    });
  });
});

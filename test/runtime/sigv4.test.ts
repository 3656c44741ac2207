import { AwsV4Signer } from 'aws4fetch';
import { describe, expect, it } from 'vitest';
import { signV4 } from '../../src/runtime/sigv4';

describe('signV4', () => {
  it.each([
    ['with a session token', 'session/token+='],
    ['without a session token', undefined],
  ])('signs an AWS JSON POST exactly as aws4fetch does (%s)', async (_, sessionToken) => {
    const url = 'https://ssm.eu-west-1.amazonaws.com/';
    const headers = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonSSM.GetParameters',
    };
    const body = JSON.stringify({ Names: ['/qc-slack/prod/slack-bot-token'], WithDecryption: true });
    const credentials = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG',
      ...(sessionToken ? { sessionToken } : {}),
    };
    const datetime = '20261127T120000Z';
    const oracle = await new AwsV4Signer({
      method: 'POST',
      url,
      headers,
      body,
      ...credentials,
      service: 'ssm',
      region: 'eu-west-1',
      datetime,
    }).sign();
    const mine = signV4({
      url: new URL(url),
      headers,
      body,
      service: 'ssm',
      region: 'eu-west-1',
      credentials,
      datetime,
    });
    expect(mine.authorization).toBe(oracle.headers.get('authorization'));
    expect(mine['x-amz-date']).toBe(datetime);
    expect(mine['x-amz-security-token']).toBe(sessionToken);
  });
});

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  awsCredentialsConfig,
  SECRET_VARS,
  type SecretSource,
  type SecretVar,
  secretSourceConfig,
} from '../config';
import { registerSecretValue } from '../log';
import type { Credentials } from '../queue/sqs';
import { signV4 } from './sigv4';

type Env = Record<string, string | undefined>;

/** A secret could not be read from SSM. The message names parameters and error types, never a value. */
export class SecretsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsError';
  }
}

interface SsmParameter {
  Name?: string;
  Type?: string;
  Value?: string;
}

/**
 * The environment with every secret filled in: a secret set directly is kept; one named by
 * `<SECRET>_PARAM` is read from SSM (SecureString, decrypted) in one SigV4-signed `GetParameters`
 * call over the AWS JSON protocol — node:https and node:crypto, not the AWS SDK nor `fetch`, to keep
 * the Slack function's cold start short (see sigv4.ts). Called once per container, at module load:
 * the values live as long as the container.
 */
export async function withSecrets(env: Env = process.env): Promise<Env> {
  const source = secretSourceConfig(env);
  const wanted = SECRET_VARS.filter((name) => source.params[name]);
  const filled: Env = { ...env };
  if (wanted.length > 0) {
    const found = await getParameters(source, awsCredentialsConfig(env), wanted);
    for (const name of wanted) filled[name] = found.get(name);
  }
  // Whatever their source, the logger scrubs these values from any string it writes.
  for (const name of SECRET_VARS) registerSecretValue(filled[name]);
  return wanted.length > 0 ? filled : env;
}

const TIMEOUT_MS = 3_000;
const ATTEMPTS = 3;

async function getParameters(
  source: SecretSource,
  credentials: Credentials,
  wanted: SecretVar[],
): Promise<Map<SecretVar, string>> {
  const names = wanted.map((name) => source.params[name] as string);
  const url = new URL(`${source.endpoint.replace(/\/$/, '')}/`);
  const body = JSON.stringify({ Names: names, WithDecryption: true });
  let last = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const headers = signV4({
      url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameters' },
      body,
      service: 'ssm',
      region: source.region,
      credentials,
    });
    const res = await post(url, headers, body).catch((err: NodeJS.ErrnoException) => ({
      status: 0,
      text: '',
      error: [err.name, err.code].filter(Boolean).join(' '),
    }));
    if (res.status === 200) return pick(source, wanted, parseParameters(res.text));
    last = 'error' in res ? res.error : errorType(res);
    const retryable = res.status === 0 || res.status >= 500 || /Throttl/.test(last);
    if (!retryable) break;
    if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
  throw new SecretsError(`SSM GetParameters failed: ${last} (${names.join(', ')})`);
}

/** Only the error type: SSM's message may quote what was asked for. */
function errorType(res: { status: number; text: string }): string {
  return /"__type"\s*:\s*"(?:[^"#]*#)?([^"]+)"/.exec(res.text)?.[1] ?? `HTTP ${res.status}`;
}

function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end(body);
  });
}

function parseParameters(text: string): SsmParameter[] {
  try {
    const body = JSON.parse(text) as { Parameters?: SsmParameter[] };
    return Array.isArray(body.Parameters) ? body.Parameters : [];
  } catch {
    throw new SecretsError('SSM GetParameters answered something that is not JSON');
  }
}

function pick(source: SecretSource, wanted: SecretVar[], parameters: SsmParameter[]): Map<SecretVar, string> {
  const byName = new Map(parameters.map((p) => [p.Name, p]));
  const out = new Map<SecretVar, string>();
  for (const name of wanted) {
    const paramName = source.params[name] as string;
    const p = byName.get(paramName);
    if (!p?.Value)
      throw new SecretsError(`SSM parameter ${paramName} (${name}_PARAM) does not exist or is empty`);
    if (p.Type !== 'SecureString') {
      throw new SecretsError(
        `SSM parameter ${paramName} (${name}_PARAM) is a ${p.Type ?? 'parameter'}, not a SecureString: recreate it with --type SecureString (docs/deploy.md)`,
      );
    }
    out.set(name, p.Value);
  }
  return out;
}

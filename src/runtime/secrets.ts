import { AwsClient } from 'aws4fetch';
import { SECRET_VARS, type SecretSource, type SecretVar, secretSourceConfig } from '../config';
import { credentialsFromEnv } from '../queue/sqs';

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
 * call over the AWS JSON protocol (aws4fetch, not the AWS SDK: the Slack function's cold start).
 * Called once per container, at module load: the values live as long as the container.
 */
export async function withSecrets(env: Env = process.env): Promise<Env> {
  const source = secretSourceConfig(env);
  const wanted = SECRET_VARS.filter((name) => source.params[name]);
  if (wanted.length === 0) return env;
  const found = await getParameters(source, credentialsFromEnv(env), wanted);
  const filled: Env = { ...env };
  for (const name of wanted) filled[name] = found.get(name);
  return filled;
}

async function getParameters(
  source: SecretSource,
  credentials: ReturnType<typeof credentialsFromEnv>,
  wanted: SecretVar[],
): Promise<Map<SecretVar, string>> {
  const names = wanted.map((name) => source.params[name] as string);
  const aws = new AwsClient({ ...credentials, service: 'ssm', region: source.region, retries: 2 });
  const res = await aws
    .fetch(`${source.endpoint.replace(/\/$/, '')}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameters' },
      body: JSON.stringify({ Names: names, WithDecryption: true }),
    })
    .catch((err: unknown) => {
      throw new SecretsError(`SSM GetParameters failed: ${(err as Error).name} (${names.join(', ')})`);
    });
  const text = await res.text();
  if (!res.ok) {
    // Only the error type: SSM's message may quote what was asked for.
    const type = /"__type"\s*:\s*"(?:[^"#]*#)?([^"]+)"/.exec(text)?.[1] ?? `HTTP ${res.status}`;
    throw new SecretsError(`SSM GetParameters failed: ${type} (${names.join(', ')})`);
  }
  return pick(source, wanted, parseParameters(text));
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

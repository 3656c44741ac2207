import { createHash, createHmac } from 'node:crypto';

/**
 * SigV4 headers for one AWS JSON-protocol POST, with node:crypto only. The secrets read at cold start
 * use this rather than aws4fetch: aws4fetch needs `fetch`/`Headers`, whose first use loads Node's
 * bundled undici (~300 ms on a loaded 2-core machine) into the Slack function's init. The signed
 * headers are aws4fetch's (host, x-amz-*; not content-type); test/runtime/sigv4.test.ts checks both
 * sign alike.
 */
export interface SigV4Request {
  url: URL;
  /** Lower-case header names; `x-amz-*` ones are signed. */
  headers: Record<string, string>;
  body: string;
  service: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** `YYYYMMDDTHHMMSSZ`; default now. */
  datetime?: string;
}

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** The request's headers plus x-amz-date, x-amz-security-token (if any) and authorization. */
export function signV4(req: SigV4Request): Record<string, string> {
  const datetime = req.datetime ?? new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
  const headers: Record<string, string> = { ...req.headers, 'x-amz-date': datetime };
  if (req.credentials.sessionToken) headers['x-amz-security-token'] = req.credentials.sessionToken;
  const signed = ['host', ...Object.keys(headers).filter((h) => h.startsWith('x-amz-'))].sort();
  const value = (h: string) => (h === 'host' ? req.url.host : (headers[h] ?? '').replace(/\s+/g, ' '));
  const canonical = [
    'POST',
    req.url.pathname || '/',
    '',
    ...signed.map((h) => `${h}:${value(h)}`),
    '',
    signed.join(';'),
    sha256(req.body),
  ].join('\n');
  const scope = `${datetime.slice(0, 8)}/${req.region}/${req.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', datetime, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${req.credentials.secretAccessKey}`, datetime.slice(0, 8));
  for (const part of [req.region, req.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${req.credentials.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return headers;
}

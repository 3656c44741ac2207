import { Pool } from 'undici';
import {
  GatewayBadResponseError,
  GatewayConnectionError,
  GatewayHttpStatusError,
  GatewayTimeoutError,
  GatewayTlsError,
  type GatewayTransportError,
} from './errors';
import type { Logger } from './logger';

/** How the client reaches one gateway: one keep-alive connection pool per base URL. */
export interface TransportOptions {
  baseUrl: string;
  /** PEM of the CA that signed the gateway's certificate (CCGW_CA_FILE). */
  caPem?: string | Buffer;
  /** Skip certificate verification. Only by explicit choice; logs a warning. */
  insecureSkipVerify?: boolean;
  connectTimeoutMs: number;
  /** Max open connections to the gateway (each held long poll uses one). */
  maxConnections: number;
  /** How long an idle connection is kept for reuse; keep it below the gateway's own idle timeout. */
  keepAliveTimeoutMs: number;
  logger: Logger;
}

export interface TransportRequest {
  operation: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path after the base URL's own path, starting with '/'. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface TransportResponse {
  status: number;
  /** The parsed JSON envelope: an object with a string `retcode`. */
  envelope: Record<string, unknown> & { retcode: string };
  /** Raw `Set-GUID` header value, if any. */
  setGuid?: string;
  /** `Set-Cookie` values, if any. */
  setCookies: string[];
}

const MAX_BODY_BYTES = 1024 * 1024;

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Map whatever undici or node threw to one of our typed transport errors. */
export function toTransportError(
  err: unknown,
  req: TransportRequest,
  connectTimeoutMs: number,
): GatewayTransportError {
  const code = errorCode(err);
  const op = req.operation;
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new GatewayTimeoutError(op, 'connect', connectTimeoutMs, code);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new GatewayTimeoutError(op, 'response', req.timeoutMs, code);
  }
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
    return new GatewayTlsError(op, code);
  }
  if (code === 'ECONNREFUSED') return new GatewayConnectionError(op, 'refused', code);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new GatewayConnectionError(op, 'unreachable', code);
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return new GatewayConnectionError(op, 'reset', code, true);
  }
  if (code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED')
    return new GatewayConnectionError(op, 'closed', code);
  return new GatewayConnectionError(op, 'reset', code ?? 'UNKNOWN', true);
}

/** A response header as a list (undici gives one string, or an array for repeated headers). */
export function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export class Transport {
  readonly origin: string;
  readonly basePath: string;
  readonly #pool: Pool;
  readonly #connectTimeoutMs: number;
  readonly #logger: Logger;

  constructor(opts: TransportOptions) {
    const url = new URL(opts.baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(
        `CC-Gateway base URL must be https:// (or http:// for a local simulator), got ${url.protocol}`,
      );
    }
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.#connectTimeoutMs = opts.connectTimeoutMs;
    this.#logger = opts.logger;
    if (opts.insecureSkipVerify) {
      opts.logger.warn(
        { gateway: this.origin },
        'TLS certificate verification of the CC-Gateway is DISABLED (insecureSkipVerify): anyone on the path can read Guids. Use CCGW_CA_FILE instead.',
      );
    }
    if (url.protocol === 'http:') {
      opts.logger.warn(
        { gateway: this.origin },
        'CC-Gateway reached over plain HTTP: only acceptable for a local simulator',
      );
    }
    this.#pool = new Pool(this.origin, {
      connections: opts.maxConnections,
      pipelining: 1,
      keepAliveTimeout: opts.keepAliveTimeoutMs,
      keepAliveMaxTimeout: Math.max(opts.keepAliveTimeoutMs, 60_000),
      connect: {
        timeout: opts.connectTimeoutMs,
        ...(opts.caPem !== undefined ? { ca: opts.caPem } : {}),
        rejectUnauthorized: !opts.insecureSkipVerify,
      },
    });
  }

  async send(req: TransportRequest): Promise<TransportResponse> {
    let res: Awaited<ReturnType<Pool['request']>>;
    try {
      res = await this.#pool.request({
        method: req.method,
        path: this.basePath + req.path,
        headers: req.headers,
        body: req.body ?? null,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
    } catch (err) {
      throw toTransportError(err, req, this.#connectTimeoutMs);
    }
    let text: string;
    try {
      text = await readLimited(res.body, req.operation);
    } catch (err) {
      if (err instanceof GatewayBadResponseError) throw err;
      throw toTransportError(err, req, this.#connectTimeoutMs);
    }
    const envelope = parseEnvelope(text);
    // A 404 means the route is not there (an older route table), whatever the body says: nothing was
    // done, and callers fall back on it (keeper: no handshake; client: no intercept by call ID).
    if (res.statusCode === 404 || (res.statusCode !== 200 && !envelope))
      throw new GatewayHttpStatusError(req.operation, res.statusCode);
    if (!envelope) {
      throw new GatewayBadResponseError(
        req.operation,
        text.length === 0 ? 'empty body' : `not the documented JSON, ${text.length} bytes`,
      );
    }
    if (res.statusCode !== 200) {
      // Business errors are documented as HTTP 200 with a retcode; a gateway that also sets a
      // non-200 status still gets its retcode read (the status is logged).
      this.#logger.debug(
        { op: req.operation, status: res.statusCode },
        'gateway returned a retcode with a non-200 status',
      );
    }
    const setGuid = headerValues(res.headers['set-guid'])[0];
    return {
      status: res.statusCode,
      envelope,
      ...(setGuid !== undefined ? { setGuid } : {}),
      setCookies: headerValues(res.headers['set-cookie']),
    };
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  async destroy(): Promise<void> {
    await this.#pool.destroy();
  }
}

async function readLimited(
  body: AsyncIterable<Buffer | string> & { destroy?: (err?: Error) => void },
  operation: string,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy?.();
      throw new GatewayBadResponseError(operation, `body larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseEnvelope(text: string): TransportResponse['envelope'] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const record = parsed as Record<string, unknown>;
  const retcode = record.retcode;
  if (typeof retcode === 'number') return { ...record, retcode: String(retcode) };
  if (typeof retcode !== 'string') return null;
  return { ...record, retcode };
}

/**
 * The raw HTTP side of `npm run gateway-check`: one inspector's session against a gateway, with the
 * Guid and load-balancer cookies adopted from every answer, as a robust real client does. Raw (not the
 * GatewayClient) so the check sees what the client hides: HTTP status codes (404 = no such route),
 * `Set-Cookie`, `Set-GUID` on every answer, and how long a poll was held.
 */
import { Agent, request } from 'undici';
import { mergeCookies, parseSetGuid, RESOURCE_PATH } from '../../src/gateway/client';
import { headerValues } from '../../src/gateway/transport';

export interface Answer {
  status: number;
  /** The JSON envelope's retcode, when the answer was the gateway's JSON. */
  retcode?: string;
  result?: unknown;
  event?: unknown;
  /** True when the JSON envelope had an `event` key at all (real gateways omit it on an empty poll). */
  hasEventKey: boolean;
  ms: number;
  setCookie: string[];
  newGuid: boolean;
}

export interface GatewayTarget {
  url: string;
  caPem?: string | Buffer;
  insecure: boolean;
  timeoutMs: number;
}

/** Base URL as configured (a trailing `/` is tolerated: real deployments have them) + the resource path. */
export function resourceBase(url: string): string {
  return `${url.replace(/\/+$/, '')}${RESOURCE_PATH}`;
}

export class ProbeSession {
  readonly #agent: Agent;
  readonly #base: string;
  readonly #timeoutMs: number;
  #guid: string | undefined;
  #cookie: string | undefined;
  /** Every cookie name a load balancer set, in order seen. */
  readonly cookieNames: string[] = [];

  constructor(target: GatewayTarget) {
    this.#base = resourceBase(target.url);
    this.#timeoutMs = target.timeoutMs;
    this.#agent = new Agent({
      connect: {
        ...(target.caPem !== undefined ? { ca: target.caPem } : {}),
        rejectUnauthorized: !target.insecure,
        timeout: Math.min(target.timeoutMs, 5_000),
      },
    });
  }

  get hasGuid(): boolean {
    return this.#guid !== undefined;
  }

  /** Forget the Guid (after sign-out) so nothing is sent with it again. */
  forget(): void {
    this.#guid = undefined;
  }

  async call(
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    path: string,
    opts: { body?: unknown; timeoutMs?: number } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
    if (this.#guid) headers.guid = this.#guid;
    if (this.#cookie) headers.cookie = this.#cookie;
    const started = performance.now();
    const timeout = opts.timeoutMs ?? this.#timeoutMs;
    const res = await request(`${this.#base}${path}`, {
      method,
      headers,
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      dispatcher: this.#agent,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await res.body.text();
    const ms = Math.round(performance.now() - started);
    const setCookie = headerValues(res.headers['set-cookie']);
    this.#adoptCookies(setCookie);
    const guidHeader = headerValues(res.headers['set-guid'])[0];
    const guid = parseSetGuid(guidHeader)?.reveal();
    const newGuid = guid !== undefined && guid !== this.#guid;
    if (guid) this.#guid = guid;
    return { status: res.statusCode, ms, setCookie, newGuid, ...readEnvelope(text) };
  }

  /** Adopt a Guid that came in a body (`updateGuid`'s `result.guid`). */
  adoptGuid(value: unknown): 'same' | 'new' | 'none' {
    const guid = typeof value === 'string' ? parseSetGuid(value)?.reveal() : undefined;
    if (!guid) return 'none';
    if (guid === this.#guid) return 'same';
    this.#guid = guid;
    return 'new';
  }

  #adoptCookies(setCookie: string[]): void {
    if (setCookie.length === 0) return;
    for (const c of setCookie) {
      const name = c.split('=')[0]?.trim();
      if (name && !this.cookieNames.includes(name)) this.cookieNames.push(name);
    }
    this.#cookie = mergeCookies(this.#cookie, setCookie);
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  toJSON(): object {
    return { base: this.#base, guid: this.#guid ? '[REDACTED]' : undefined };
  }
}

function readEnvelope(text: string): Pick<Answer, 'retcode' | 'result' | 'event' | 'hasEventKey'> {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (json && typeof json === 'object' && 'retcode' in json) {
      return {
        retcode: String(json.retcode),
        result: json.result,
        event: json.event,
        hasEventKey: 'event' in json,
      };
    }
  } catch {
    // Not the gateway's JSON (an HTML 404 page, a proxy's error): the caller reads the status code.
  }
  return { hasEventKey: false };
}

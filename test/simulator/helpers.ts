import { Agent, type Dispatcher, request } from 'undici';
import {
  type GatewayEvent,
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../simulator/index';

export const GW = '/agentgateway/resource';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test convenience
  json: any;
}

export interface CallOptions {
  guid?: string | undefined;
  body?: unknown;
  raw?: string;
  signal?: AbortSignal;
  headersTimeout?: number;
  /** Extra request headers (e.g. cookie). */
  headers?: Record<string, string>;
}

/** A tiny client over real HTTP(S), with keep-alive. */
export class TestClient {
  readonly dispatcher: Agent;

  constructor(
    readonly base: string,
    caPem?: string,
    agentOptions: Agent.Options = {},
  ) {
    this.dispatcher = new Agent(caPem ? { ...agentOptions, connect: { ca: caPem } } : agentOptions);
  }

  async call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
    if (opts.guid !== undefined) headers.guid = opts.guid;
    Object.assign(headers, opts.headers);
    const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const res = await request(`${this.base}${path}`, {
      method: method as 'GET',
      headers,
      body,
      dispatcher: this.dispatcher,
      signal: opts.signal,
      headersTimeout: opts.headersTimeout,
    });
    return readReply(res);
  }

  gw(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    return this.call(method, `${GW}${path}`, opts);
  }

  /** Signs in and returns the Guid from Set-GUID. */
  async signIn(agentId: string, body: Record<string, unknown> = {}, force = false): Promise<string> {
    const r = await this.gw('PUT', `/onlineagent/${agentId}${force ? '/forcelogin' : ''}`, {
      body: { password: 'simulator', phonenum: '70001', status: 4, ...body },
    });
    if (r.json?.retcode !== '0') throw new Error(`sign-in of ${agentId} failed: ${r.text}`);
    return guidOf(r) as string;
  }

  poll(agentId: string, guid: string | undefined, signal?: AbortSignal): Promise<Reply> {
    return this.gw('GET', `/agentevent/${agentId}`, { guid, signal });
  }

  /** Polls until an empty poll (or 100-006 once the session is gone); returns the events. */
  async drain(agentId: string, guid: string): Promise<GatewayEvent[]> {
    const out: GatewayEvent[] = [];
    for (;;) {
      const r = await this.poll(agentId, guid);
      if (r.json?.retcode === '100-006' && out.length > 0) return out;
      if (r.json?.retcode !== '0') throw new Error(`poll failed: ${r.text}`);
      if (r.json.event === undefined) return out; // empty poll: {"message":"","retcode":"0"}
      out.push(r.json.event);
    }
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

/** Status, headers, text and (when it parses) JSON of an undici response. */
export async function readReply(res: Dispatcher.ResponseData): Promise<Reply> {
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

/** The Guid of a Set-GUID response header (undefined when absent). */
export function guidOf(r: Reply): string | undefined {
  const h = r.headers['set-guid'];
  const v = Array.isArray(h) ? h[0] : h;
  if (v === undefined) return undefined;
  if (!v.startsWith('JSESSIONID=')) throw new Error(`unexpected Set-GUID ${v}`);
  return v.slice('JSESSIONID='.length);
}

export interface Harness {
  run: RunningSimulator;
  client: TestClient;
  close(): Promise<void>;
}

/** Starts a plain-HTTP simulator (unless opts.http === false) with a short poll hold. */
export async function harness(opts: SimulatorOptions = {}): Promise<Harness> {
  const run = await startSimulator({ http: true, pollHoldMs: 30, quiet: true, ...opts });
  const client = new TestClient(run.url, run.caPem);
  return {
    run,
    client,
    close: async () => {
      await client.close().catch(() => {});
      await run.close();
    },
  };
}

export const types = (events: GatewayEvent[]): string[] => events.map((e) => e.eventType);

/** Waits until `check` returns true (polling every 5 ms, up to `ms`). */
export async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

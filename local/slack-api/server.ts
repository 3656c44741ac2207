import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuseForeignCaller } from '../host-guard';
import { fileMethods } from './files';
import { type Answer, type Args, channelName, methods, parseJsonFields } from './methods';
import { renderMessage } from './render';
import { postToResponseUrl, type ResponseUrlContext } from './response-url';
import { type FakeState, takeFault } from './state';
import type { StoredCall } from './store';
import { handleUpload } from './upload';

/** What the fake does beyond plain state: issue response_urls and trigger_ids (implemented in index.ts). */
export interface ServerHooks {
  newResponseUrl(ctx: ResponseUrlContext, baseUrl?: string): string;
  newTriggerId(ctx: { user: string; channel?: string }): string;
}

const MAX_BODY = 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BODY) throw new HttpError(413, 'request_too_large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', ...headers });
}

const contentTypeOf = (req: IncomingMessage) =>
  (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();

/** Web API arguments from the query string and the body (form-encoded or JSON). */
function parseArgs(req: IncomingMessage, url: URL, raw: string): Args | { invalidJson: true } {
  const args: Args = Object.fromEntries(url.searchParams);
  if (!raw) return args;
  if (contentTypeOf(req) === 'application/json') {
    try {
      const json: unknown = JSON.parse(raw);
      if (typeof json === 'object' && json !== null && !Array.isArray(json)) return { ...args, ...json };
    } catch {
      // fall through
    }
    return { invalidJson: true };
  }
  return parseJsonFields({ ...args, ...Object.fromEntries(new URLSearchParams(raw)) });
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(.+)$/i.exec(h.trim()) : null;
  return m?.[1];
}

/** `POST /api/<method>`: auth, fault injection, the method; every call recorded (without the token). */
async function handleApi(
  state: FakeState,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  const raw = await readBody(req);
  const parsed = parseArgs(req, url, raw);
  const at = state.store.clock();
  const { token: bodyToken, ...args } = 'invalidJson' in parsed ? ({} as Args) : parsed;
  const token = bearer(req) ?? (typeof bodyToken === 'string' && bodyToken ? bodyToken : undefined);

  const finish = (answer: Answer, status = 200, headers: Record<string, string> = {}) => {
    const call: StoredCall = { method, args, at, ok: answer.ok === true, status };
    if (!answer.ok && typeof answer.error === 'string') call.error = answer.error;
    state.store.addCall(call);
    sendJson(res, status, answer, headers);
  };

  const impl = methods[method] ?? fileMethods[method];
  if (!impl) return finish({ ok: false, error: 'unknown_method' });
  if (!token) return finish({ ok: false, error: 'not_authed' });
  if (token !== state.opts.botToken) return finish({ ok: false, error: 'invalid_auth' });
  if ('invalidJson' in parsed) return finish({ ok: false, error: 'invalid_json' });
  const retryAfter = state.limiter?.check(method, args);
  if (retryAfter)
    return finish({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': String(retryAfter) });
  const fault = takeFault(state, method);
  if (fault) {
    if ('status' in fault) {
      return finish({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': String(fault.retryAfter) });
    }
    return finish({ ok: false, error: fault.error });
  }
  return finish(
    impl(state, args, { baseUrl: baseUrlOf(req, state), json: contentTypeOf(req) === 'application/json' }),
  );
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'invalid_json');
  }
}

function baseUrlOf(req: IncomingMessage, state: FakeState): string {
  return state.publicBaseUrl ?? `http://${req.headers.host ?? '127.0.0.1'}`;
}

/** `/_local/...`: the local stack's and the CLI's window into the fake. */
async function handleLocal(
  state: FakeState,
  hooks: ServerHooks,
  route: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const q = url.searchParams;
  if (route === 'messages' && req.method === 'GET') {
    const since = Number(q.get('since') ?? 0) || 0;
    const channel = q.get('channel');
    const list = state.store.messages
      .filter((m) => m.updatedAt >= since && (!channel || m.channel === channel))
      .map((m) => ({
        ...m,
        channelName: channelName(state, m.channel),
        author: state.opts.botName,
        rendered: renderMessage(m),
      }));
    sendJson(res, 200, list);
    return true;
  }
  if (route === 'views' && req.method === 'GET') {
    const user = q.get('user');
    const since = Number(q.get('since') ?? 0) || 0;
    const list = [...state.store.views, ...state.store.homeViews.values()].filter(
      (v) => v.updatedAt >= since && (!user || v.user === user),
    );
    sendJson(res, 200, list);
    return true;
  }
  if (route === 'files' && req.method === 'GET') {
    const since = Number(q.get('since') ?? 0) || 0;
    const channel = q.get('channel');
    const list = state.store.files
      .filter((f) => f.completedAt >= since && (!channel || f.channels.includes(channel)))
      .map(({ bytes: _bytes, ...f }) => f);
    sendJson(res, 200, list);
    return true;
  }
  if (route === 'calls' && req.method === 'GET') {
    const since = Number(q.get('since') ?? 0) || 0;
    sendJson(
      res,
      200,
      state.store.calls.filter((c) => c.at >= since),
    );
    return true;
  }
  if (route === 'response-url' && req.method === 'POST') {
    const body = await readJson(req);
    const ctx = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof ctx.channel !== 'string' || typeof ctx.user !== 'string' || !ctx.channel || !ctx.user) {
      throw new HttpError(400, 'channel and user (strings) are required');
    }
    const rctx: ResponseUrlContext = { channel: ctx.channel, user: ctx.user };
    if (typeof ctx.messageTs === 'string') rctx.messageTs = ctx.messageTs;
    sendJson(res, 200, {
      url: hooks.newResponseUrl(rctx, baseUrlOf(req, state)),
      triggerId: hooks.newTriggerId({ user: ctx.user, channel: ctx.channel }),
      channel: ctx.channel,
      channelName: channelName(state, ctx.channel),
      teamId: state.opts.teamId,
      now: state.store.clock(),
    });
    return true;
  }
  return false;
}

/**
 * The fake's HTTP handler. Answers `POST {prefix}/api/<method>`, `POST {prefix}/response/<id>`,
 * `POST {prefix}/upload/<token>` (file upload URLs) and `{prefix}/_local/…`; returns false (having
 * touched nothing) for any other path.
 */
export async function handleRequest(
  state: FakeState,
  hooks: ServerHooks,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://fake.local');
  const prefix = state.opts.pathPrefix;
  if (prefix && !url.pathname.startsWith(`${prefix}/`)) return false;
  const path = url.pathname.slice(prefix.length);
  const match = /^\/(api|response|upload|_local)\/([^/]+)$/.exec(path);
  if (!match) return false;
  // It acts as the bot and hands out response_urls: only this machine's programs, never another site's page.
  if (refuseForeignCaller(req, res)) return true;
  const [, kind, name = ''] = match;
  try {
    if (kind === 'api') {
      if (req.method !== 'POST' && req.method !== 'GET') {
        send(res, 405, 'method_not_allowed', { allow: 'POST' });
        return true;
      }
      await handleApi(state, decodeURIComponent(name), req, res, url);
      return true;
    }
    if (kind === 'upload') {
      await handleUpload(state, decodeURIComponent(name), req, res);
      return true;
    }
    if (kind === 'response') {
      if (req.method !== 'POST') {
        send(res, 405, 'method_not_allowed', { allow: 'POST' });
        return true;
      }
      const raw = await readBody(req);
      let payload: unknown;
      try {
        payload = raw ? JSON.parse(raw) : undefined;
      } catch {
        payload = raw;
      }
      const answer = postToResponseUrl(state, decodeURIComponent(name), payload);
      send(res, answer.status, answer.body, {
        'content-type': 'text/plain; charset=utf-8',
        ...answer.headers,
      });
      return true;
    }
    return await handleLocal(state, hooks, name, req, res, url);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return true;
    }
    const status = err instanceof HttpError ? err.status : 500;
    sendJson(res, status, { ok: false, error: err instanceof Error ? err.message : String(err) });
    return true;
  }
}

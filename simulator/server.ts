/** The HTTP(S) server: /sim control API, gateway routing, fault injection, request log. */
import http, { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import https from 'node:https';
import { handleControl } from './control';
import type { ActiveFault } from './faults';
import { header, readBody, sendJson, sendText } from './http';
import type { Simulator } from './model';
import { ELB_COOKIE } from './options';
import { fail } from './replies';
import { matchRoute } from './routes';
import type { GwReply, RequestLogEntry } from './types';

export interface TlsKeyPair {
  key: string;
  cert: string;
}

export interface SimServer {
  server: http.Server | https.Server;
  /** Destroys every socket (held long polls and hung requests included) and stops the server. */
  close(): Promise<void>;
}

interface ServerState {
  closing: boolean;
  waits: Set<() => void>;
}

export function createSimServer(sim: Simulator, tls?: TlsKeyPair): SimServer {
  const st: ServerState = { closing: false, waits: new Set() };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    dispatch(sim, st, req, res).catch((err: unknown) => {
      if (!sim.config.quiet) console.error('simulator: internal error', err);
      sendJson(res, 500, fail('100-007').body);
    });
  };
  const server = tls
    ? https.createServer({ key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2' }, handler)
    : http.createServer(handler);
  // Generous keep-alive so clients reuse connections (one TLS handshake for many calls).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on(tls ? 'secureConnection' : 'connection', () => {
    sim.connectionCount += 1;
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        st.closing = true;
        for (const wake of st.waits) wake();
        st.waits.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function dispatch(
  sim: Simulator,
  st: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const method = req.method ?? 'GET';
  // `//` in the path (a base URL configured with a trailing `/`) counts as `/`; a leading `//` must not be
  // read as a protocol-relative URL.
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = (q < 0 ? raw : raw.slice(0, q)).replace(/\/{2,}/g, '/');
  const url = new URL(rawPath + (q < 0 ? '' : raw.slice(q)), 'http://simulator.invalid');
  if (url.pathname === '/sim' || url.pathname.startsWith('/sim/')) {
    await handleControl(sim, req, res, url);
    return;
  }
  const guid = header(req, 'guid');
  const match = matchRoute(method, url.pathname, sim.config.profile);
  const entry: Omit<RequestLogEntry, 'seq' | 'status'> = {
    at: sim.now(),
    method,
    path: url.pathname + url.search,
    logName: match?.route.logName ?? 'unknown',
    guidPresent: guid !== undefined && guid !== '',
  };
  if (match?.params[0] !== undefined) entry.agentId = match.params[0];
  const log = (status: number, retcode?: string, fault?: ActiveFault) => {
    const e: Omit<RequestLogEntry, 'seq'> = {
      ...entry,
      status,
      durationMs: Math.round(performance.now() - started),
    };
    if (retcode !== undefined) e.retcode = retcode;
    if (fault) e.fault = fault.kind;
    sim.logRequest(e);
    if (!sim.config.quiet) {
      const f = fault ? ` [fault ${fault.kind}]` : '';
      console.log(
        `${new Date().toISOString()} ${method} ${e.path} ${e.logName} -> ${status}${retcode ? ` retcode ${retcode}` : ''}${f}`,
      );
    }
  };

  if (!match) {
    const reply = fail('000-002', 404);
    sendJson(res, 404, reply.body);
    log(404, '000-002');
    return;
  }

  const fault = sim.faults.take(match.route.logName);
  if (fault) {
    switch (fault.kind) {
      case 'reset':
        req.socket.destroy();
        log(0, undefined, fault);
        return;
      case 'hang':
        // Never answered; the socket is destroyed by close() (or by the client).
        log(0, undefined, fault);
        return;
      case 'status': {
        const status = fault.status ?? 503;
        const text = `<html><head><title>${status} ${STATUS_CODES[status] ?? ''}</title></head><body><h1>${status} ${STATUS_CODES[status] ?? ''}</h1><p>simulated fault</p></body></html>`;
        sendText(res, status, 'text/html; charset=UTF-8', text);
        log(status, undefined, fault);
        return;
      }
      case 'invalid-json':
        sendText(res, 200, 'application/json; charset=UTF-8', '{"message":"","retcode":"0","result":');
        log(200, undefined, fault);
        return;
      case 'retcode': {
        const retcode = fault.retcode ?? '100-007';
        sendJson(res, 200, { message: 'simulated fault', retcode, result: {} });
        log(200, retcode, fault);
        return;
      }
      case 'latency':
        await wait(st, fault.ms ?? 0);
        if (st.closing || res.destroyed) {
          log(0, undefined, fault);
          return;
        }
        break;
    }
  }

  const signIn = match.route.logName === 'login' || match.route.logName === 'forceLogin';
  const elb = sim.config.elbCookie ? elbCookieOf(req) : undefined;
  if (sim.config.elbCookie && !signIn && !sim.knowsElbCookie(elb)) {
    // The load balancer sent the request to a node that does not know the session.
    sendJson(res, 200, fail('100-006').body);
    log(200, '100-006', fault);
    return;
  }

  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  let body: string;
  try {
    body = await readBody(req);
  } catch {
    const reply = fail('000-006');
    sendJson(res, 200, reply.body);
    log(200, '000-006', fault);
    return;
  }
  const reply: GwReply = await match.route.handle({
    sim,
    params: match.params,
    query: url.searchParams,
    guid,
    body,
    signal: ac.signal,
  });
  const status = reply.status ?? 200;
  const retcode = typeof reply.body.retcode === 'string' ? reply.body.retcode : undefined;
  if (res.destroyed || st.closing) {
    log(0, retcode, fault);
    return;
  }
  let headers = reply.headers;
  if (sim.config.elbCookie && signIn && retcode === '0') {
    // Before Set-GUID: the Java demos stop reading headers at Set-GUID and still got the ELB cookie.
    const value = sim.knowsElbCookie(elb) ? (elb as string) : sim.issueElbCookie();
    headers = { 'Set-Cookie': `${ELB_COOKIE}=${value}; Path=/; HttpOnly`, ...reply.headers };
  }
  sendJson(res, status, reply.body, headers);
  log(status, retcode, fault);
}

/** The `huaweielbsession` value of the request's cookies (several Cookie headers and attributes tolerated). */
function elbCookieOf(req: IncomingMessage): string | undefined {
  const raw = req.headers.cookie;
  for (const pair of (Array.isArray(raw) ? raw.join(';') : (raw ?? '')).split(';')) {
    const i = pair.indexOf('=');
    if (i > 0 && pair.slice(0, i).trim() === ELB_COOKIE) return pair.slice(i + 1).trim();
  }
  return undefined;
}

function wait(st: ServerState, ms: number): Promise<void> {
  if (st.closing) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      st.waits.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    st.waits.add(wake);
  });
}

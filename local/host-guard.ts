/**
 * Who may call the local stack. Its secrets are printed and public, so whoever reaches it can act as
 * any user. Only programs on this machine that name the stack's own address (Host 127.0.0.1, localhost
 * or [::1] with the port the request arrived on) get in: a DNS-rebinding page sends its own host name.
 * A browser request (an Origin header) must come from that same origin: a page of another site is
 * refused. The CLI, the console bridge and tests send no Origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The Host values this request may carry: the loopback names with the port it arrived on. */
export function allowedHosts(req: IncomingMessage): string[] {
  const port = req.socket.localPort;
  return LOOPBACK_NAMES.map((name) => `${name}:${port}`);
}

/** Why the request is refused (foreign Host or Origin), or undefined when it may be served. */
export function foreignCaller(req: IncomingMessage): string | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  const allowed = allowedHosts(req);
  if (!allowed.includes(host)) {
    return `the local stack answers on 127.0.0.1 / localhost only: Host ${JSON.stringify(req.headers.host ?? '')} is not ${allowed.join(', ')}`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return `requests from ${JSON.stringify(origin)} are not allowed: only pages served by http://${host}/ and programs that send no Origin may call the local stack`;
  }
  return undefined;
}

/** Refuses a foreign caller with 403 `{ok: false, error}` before anything reads the request; true when refused. */
export function refuseForeignCaller(req: IncomingMessage, res: ServerResponse): boolean {
  const reason = foreignCaller(req);
  if (reason === undefined) return false;
  const body = JSON.stringify({ ok: false, error: reason });
  res.writeHead(403, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(body);
  return true;
}

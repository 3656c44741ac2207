/**
 * The console's HTTP routes under /console/: the page and its bundle, the state, the event stream, file
 * downloads, and one JSON route per page action (see docs/console.md). Errors are JSON
 * `{ok: false, error}` with a 4xx status and words saying what to fix.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAULT_KINDS } from '../../simulator/index';
import { foreignCaller } from '../host-guard';
import { buildConsoleBundle, CONSOLE_HTML } from './bundle';
import type { ConsoleContext } from './context';
import { BadInput, isObj, jsonBody, oneOf, optStr, str } from './input';
import { FAULT_PRESETS, parseInterface, presetFaults, setTraffic, simCall, simView } from './sim-bridge';
import type { SlackBridge } from './slack-bridge';
import { consoleState } from './state';

export interface RouteDeps {
  ctx: ConsoleContext;
  bridge: SlackBridge;
  openEvents(req: IncomingMessage, res: ServerResponse): void;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function sendText(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra = {},
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': String(Buffer.byteLength(body)),
    ...extra,
  });
  res.end(body);
}

type Handler = (req: IncomingMessage, res: ServerResponse, deps: RouteDeps, param?: string) => Promise<void>;

const ok = (res: ServerResponse, body: object) => sendJson(res, 200, { ok: true, ...body });

const routes: Record<string, Handler> = {
  'GET /console/': async (_req, res) =>
    sendText(res, 200, 'text/html; charset=utf-8', CONSOLE_HTML, { 'cache-control': 'no-store' }),
  'GET /console/app.js': async (_req, res) => {
    const bundle = await buildConsoleBundle();
    sendText(res, 200, 'text/javascript; charset=utf-8', bundle.js, { 'cache-control': 'no-cache' });
  },
  'GET /console/app.css': async (_req, res) => {
    const bundle = await buildConsoleBundle();
    sendText(res, 200, 'text/css; charset=utf-8', bundle.css, { 'cache-control': 'no-cache' });
  },
  'GET /console/api/state': async (_req, res, { ctx }) => sendJson(res, 200, consoleState(ctx)),
  'GET /console/api/events': async (req, res, deps) => deps.openEvents(req, res),
  'GET /console/api/files/:id': async (_req, res, { ctx }, id) => {
    const file = ctx.slack.store.files.find((f) => f.id === id);
    if (!file) throw new BadInput(`no file ${JSON.stringify(id)}`, 404);
    const name = file.name.replace(/[^\w.-]+/g, '_');
    sendText(res, 200, file.mimetype || 'application/octet-stream', file.bytes, {
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    });
  },
  'POST /console/api/command': async (req, res, { bridge }) => {
    const b = await jsonBody(req);
    ok(res, await bridge.command(str(b, 'user', 64), str(b, 'channel', 64), str(b, 'text', 4000)));
  },
  'POST /console/api/action': async (req, res, { bridge }) => {
    const b = await jsonBody(req);
    const channel = optStr(b, 'channel', 64);
    const messageTs = optStr(b, 'messageTs', 64);
    const viewId = optStr(b, 'viewId', 64);
    const value = optStr(b, 'value', 2000);
    ok(
      res,
      await bridge.action({
        user: str(b, 'user', 64),
        actionId: str(b, 'actionId', 255),
        ...(channel ? { channel } : {}),
        ...(messageTs ? { messageTs } : {}),
        ...(viewId ? { viewId } : {}),
        ...(value !== undefined ? { value } : {}),
      }),
    );
  },
  'POST /console/api/view': async (req, res, { bridge }) => {
    const b = await jsonBody(req);
    ok(res, await bridge.submitView(str(b, 'user', 64), str(b, 'viewId', 64), b.values));
  },
  'POST /console/api/view-close': async (req, res, { bridge }) => {
    const b = await jsonBody(req);
    ok(res, await bridge.closeView(str(b, 'user', 64), str(b, 'viewId', 64)));
  },
  'POST /console/api/home': async (req, res, { bridge }) => {
    const b = await jsonBody(req);
    ok(res, await bridge.homeOpened(str(b, 'user', 64)));
  },
  'POST /console/api/alert': async (req, res, { bridge, ctx }) => {
    const b = await jsonBody(req);
    const agent = b.agentId;
    if (typeof agent !== 'string' && typeof agent !== 'number')
      throw new BadInput('agentId: expected the agent ID (digits)');
    const alert: Record<string, unknown> = {
      channel: str(b, 'channel', 64),
      agentId: agent,
      reason: str(b, 'reason', 1000),
    };
    for (const key of ['severity', 'customer', 'callId', 'details'] as const) {
      const v = optStr(b, key, 2000);
      if (v !== undefined) alert[key] = v;
    }
    // The call the agent is on, as a monitoring system would name it.
    const call = ctx.sim?.snapshot().calls.find((c) => c.agentId === String(agent).replace(/^#/, '').trim());
    if (call && alert.callId === undefined) alert.callId = call.callId;
    const answer = await bridge.alert(alert);
    sendJson(res, answer.status, {
      ok: answer.status >= 200 && answer.status < 300,
      status: answer.status,
      ...(isObj(answer.body) ? answer.body : { body: answer.body }),
    });
  },
  'POST /console/api/sim/call': async (req, res, { ctx }) => {
    const b = await jsonBody(req);
    const agentId = str(b, 'agentId', 12);
    const action = oneOf(b, 'action', ['start', 'end'] as const);
    const out = simCall(ctx.sim, (sim) => {
      if (action === 'start') return sim.startCall(agentId);
      sim.endCall(agentId);
      return {};
    });
    ok(res, { ...out, sim: ctx.sim ? simView(ctx.sim) : undefined });
  },
  'POST /console/api/sim/fault': async (req, res, { ctx }) => {
    const b = await jsonBody(req);
    const kind = b.kind;
    const iface = parseInterface(optStr(b, 'interface', 64));
    if (typeof kind === 'string' && (FAULT_PRESETS as readonly string[]).includes(kind)) {
      const faults = presetFaults(kind as (typeof FAULT_PRESETS)[number], iface);
      simCall(ctx.sim, (sim) => {
        for (const f of faults) sim.injectFault(f);
      });
      return ok(res, { kind, injected: faults.length, sim: ctx.sim ? simView(ctx.sim) : undefined });
    }
    throw new BadInput(
      `kind: expected one of ${FAULT_PRESETS.join(', ')} (the console's presets; the simulator's own kinds ${FAULT_KINDS.join(', ')} are at its /sim/faults)`,
    );
  },
  'POST /console/api/sim/traffic': async (req, res, { ctx }) => {
    const traffic = setTraffic(ctx.sim, await jsonBody(req));
    ok(res, { traffic, sim: ctx.sim ? simView(ctx.sim) : undefined });
  },
  'DELETE /console/api/sim/fault': async (_req, res, { ctx }) => {
    simCall(ctx.sim, (sim) => sim.clearFaults());
    ok(res, { sim: ctx.sim ? simView(ctx.sim) : undefined });
  },
};

/** `{method} {path}` → a handler (and the file id of /console/api/files/<id>). */
function match(method: string, path: string): { handler?: Handler; param?: string; allowed: string[] } {
  const files = /^\/console\/api\/files\/([^/]+)$/.exec(path);
  const key = files ? '/console/api/files/:id' : path;
  const allowed = Object.keys(routes)
    .filter((k) => k.slice(k.indexOf(' ') + 1) === key)
    .map((k) => k.slice(0, k.indexOf(' ')));
  const handler = routes[`${method === 'HEAD' ? 'GET' : method} ${key}`];
  return {
    ...(handler ? { handler } : {}),
    ...(files?.[1] ? { param: decodeURIComponent(files[1]) } : {}),
    allowed,
  };
}

/**
 * The bridge acts as any user towards the app (and the gateway behind it), so only this page may call
 * it: the stack's own loopback Host and no foreign Origin (host-guard.ts, as on every route of the
 * stack), and JSON bodies (a cross-site form or text/plain POST cannot send application/json without a
 * CORS preflight, which is never granted).
 */
function checkCaller(req: IncomingMessage): void {
  const foreign = foreignCaller(req);
  if (foreign !== undefined) throw new BadInput(foreign, 403);
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json')
      throw new BadInput(
        `send the body as JSON with content-type: application/json (got ${JSON.stringify(type ?? '')})`,
        415,
      );
  }
}

/** Answers /console and everything under /console/; false for other paths. */
export async function handleConsole(
  req: IncomingMessage,
  res: ServerResponse,
  deps: RouteDeps,
): Promise<boolean> {
  const path = new URL(req.url ?? '/', 'http://console.local').pathname;
  if (path === '/console') {
    res.writeHead(301, { location: '/console/' });
    res.end();
    return true;
  }
  if (!path.startsWith('/console/')) return false;
  try {
    if (path.startsWith('/console/api/')) checkCaller(req);
    const { handler, param, allowed } = match(req.method ?? 'GET', path);
    if (!handler) {
      if (allowed.length) {
        res.setHeader('allow', allowed.join(', '));
        throw new BadInput(`${req.method} is not allowed on ${path} (use ${allowed.join(' or ')})`, 405);
      }
      throw new BadInput(`no console route ${req.method} ${path}`, 404);
    }
    await handler(req, res, deps, param);
  } catch (err) {
    if (res.headersSent) {
      res.end();
      return true;
    }
    if (err instanceof BadInput) sendJson(res, err.status, { ok: false, error: err.message });
    else
      sendJson(res, 500, {
        ok: false,
        error: `the console bridge failed: ${err instanceof Error ? err.message : String(err)}`,
      });
  }
  return true;
}

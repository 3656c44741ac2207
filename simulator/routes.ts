/** The gateway's URI table: method + path pattern → log name + operation. */
import * as agentOps from './agent-ops';
import type { LogName } from './faults';
import type { Simulator } from './model';
import { forceDropCall, type QcOp, qcAgentOp } from './qc';
import { fail, parseBody } from './replies';
import type { GwReply } from './types';

export const PREFIX = '/agentgateway/resource';

export interface RouteCtx {
  sim: Simulator;
  /** Decoded path parameters; [0] is always the agent ID of the URI. */
  params: string[];
  query: URLSearchParams;
  guid: string | undefined;
  body: string;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export interface Route {
  method: string;
  pattern: RegExp;
  logName: LogName;
  handle(ctx: RouteCtx): GwReply | Promise<GwReply>;
}

const seg = '([^/]+)';

/** Guarded interfaces take no body; a body that is not JSON is 000-006 (after the Guid check). */
const guarded =
  (handle: Route['handle']): Route['handle'] =>
  (c) => {
    if (parseBody(c.body).ok) return handle(c);
    return c.sim.guids.check(c.guid, c.params[0] as string, c.sim.now()) ? fail('000-006') : fail('100-006');
  };
const r = (method: string, path: string, logName: LogName, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^${PREFIX}${path.replaceAll(':p', seg)}/?$`),
  logName,
  handle: logName === 'login' || logName === 'forceLogin' ? handle : guarded(handle),
});

const qc =
  (op: QcOp, from: 'path' | 'query'): Route['handle'] =>
  ({ sim, params, query, guid }) =>
    qcAgentOp(sim, op, params[0] as string, guid, {
      target: from === 'path' ? params[1] : (query.get('whisperagentid') ?? undefined),
      ...(params[2] !== undefined ? { callId: params[2] } : {}),
      switchType: query.get('switchtype'),
    });

export const ROUTES: Route[] = [
  r('PUT', '/onlineagent/:p', 'login', (c) => agentOps.signIn(c.sim, c.params[0] as string, c.body, false)),
  r('PUT', '/onlineagent/:p/forcelogin', 'forceLogin', (c) =>
    agentOps.signIn(c.sim, c.params[0] as string, c.body, true),
  ),
  r('DELETE', '/onlineagent/:p/logout', 'logout', (c) =>
    agentOps.logout(c.sim, c.params[0] as string, c.guid),
  ),
  r('DELETE', '/onlineagent/:p/forcelogout', 'forceLogout', (c) =>
    agentOps.forceLogout(c.sim, c.params[0] as string, c.guid),
  ),
  r('GET', '/agentevent/:p', 'getAgentEvent', (c) =>
    agentOps.pollEvent(c.sim, c.params[0] as string, c.guid, c.signal),
  ),
  r('POST', '/onlineagent/:p/handshake', 'handShake', (c) =>
    agentOps.handshake(c.sim, c.params[0] as string, c.guid),
  ),
  r('GET', '/onlineagent/:p/agentstatus', 'getAgentStatus', (c) =>
    agentOps.agentStatus(c.sim, c.params[0] as string, c.guid),
  ),
  r('PUT', '/onlineagent/:p/updateGuid', 'updateGuid', (c) =>
    agentOps.updateGuid(c.sim, c.params[0] as string, c.guid),
  ),
  r('PUT', '/qualitycontrol/:p/addsupervise/:p', 'addSupervise', qc('listen', 'path')),
  r('PUT', '/qualitycontrol/:p/addinsert/:p', 'addInsert', qc('insert', 'path')),
  r('POST', '/qualitycontrol/:p/requestwhisperagent', 'requestWhisperAgent', qc('whisper', 'query')),
  r(
    'POST',
    '/qualitycontrol/:p/requeststopwhisperagent',
    'requestStopWhisperAgent',
    qc('stopWhisper', 'query'),
  ),
  r('POST', '/qualitycontrol/:p/switch/:p', 'switchSuperviseOrInsert', qc('switch', 'path')),
  r(
    'POST',
    '/qualitycontrol/:p/requestswitchinsertwhisperagent',
    'requestSwitchInsertWhisperAgent',
    qc('switchType', 'query'),
  ),
  r('PUT', '/qualitycontrol/:p/intercept/:p', 'intercept', qc('intercept', 'path')),
  r('PUT', '/qualitycontrol/:p/intercept/:p/:p', 'intercept', qc('intercept', 'path')),
  r('POST', '/qualitycontrol/:p/forcebusy/:p', 'forceBusy', qc('forceBusy', 'path')),
  r('POST', '/qualitycontrol/:p/forceidle/:p', 'forceIdle', qc('forceIdle', 'path')),
  r('POST', '/qualitycontrol/:p/forcelogout/:p', 'forceLogOutAgent', qc('forceLogout', 'path')),
  r('POST', '/qualitycontrol/:p/forcedropcall/:p', 'forceDropCall', (c) =>
    forceDropCall(c.sim, c.params[0] as string, c.guid, c.params[1] as string),
  ),
  r('DELETE', '/qualitycontrol/:p/:p', 'stopSuperviseOrInsert', qc('cancel', 'path')),
];

export interface RouteMatch {
  route: Route;
  params: string[];
}

export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    try {
      return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

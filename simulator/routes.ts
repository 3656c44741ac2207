/** The gateway's URI table: method + path pattern → log name + operation. */
import * as agentOps from './agent-ops';
import type { LogName } from './faults';
import {
  agentSkills,
  agentsBySkill,
  allAgentStatus,
  allMonitoredAgents,
  isCensor,
  monitorAgents,
  onlineAgentsOnVdn,
} from './floor';
import type { Simulator } from './model';
import type { SimProfile } from './options';
import { forceDropCall, type QcOp, qcAgentOp } from './qc';
import { fail, parseBody } from './replies';
import { resetSkill, type SelfStateOp, selfRest, selfState } from './self-state';
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
  /** Not in the 2018 route table: the 'legacy' profile answers 404 as for an unknown path. */
  modern?: true;
  handle(ctx: RouteCtx): GwReply | Promise<GwReply>;
}

const seg = '([^/]+)';
/** Agent IDs 1–59999, the 2018 route table's regex. */
const LEGACY_AGENT_ID = /^(?:[1-9][0-9]{0,3}|[1-5][0-9]{4})$/;

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

/** A route the 2018 gateway does not have (handshake, heartbeat, updateGuid, intercept by call ID). */
const modern = (route: Route): Route => ({ ...route, modern: true });

const self =
  (op: SelfStateOp): Route['handle'] =>
  (c) =>
    selfState(c.sim, op, c.params[0] as string, c.guid, c.query);

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
  r('GET', '/agentevent/allagentevent', 'getAllAgentEvent', (c) => agentOps.pollAllEvents(c.sim, c.guid)),
  r('GET', '/agentevent/:p', 'getAgentEvent', (c) =>
    agentOps.pollEvent(c.sim, c.params[0] as string, c.guid, c.signal),
  ),
  modern(
    r('POST', '/onlineagent/:p/handshake', 'handShake', (c) =>
      agentOps.handshake(c.sim, c.params[0] as string, c.guid),
    ),
  ),
  modern(
    r('PUT', '/onlineagent/:p/heartbeat', 'heartbeat', (c) =>
      agentOps.heartbeat(c.sim, c.params[0] as string, c.guid),
    ),
  ),
  r('POST', '/onlineagent/:p/sayfree', 'sayFree', self('sayFree')),
  r('POST', '/onlineagent/:p/saybusy', 'sayBusy', self('sayBusy')),
  r('POST', '/onlineagent/:p/cancelbusy', 'cancelBusy', self('cancelBusy')),
  r('POST', '/onlineagent/:p/work', 'sayWork', self('sayWork')),
  r('POST', '/onlineagent/:p/cancelwork', 'cancelWork', self('cancelWork')),
  r('POST', '/onlineagent/:p/cancelrest', 'cancelRest', self('cancelRest')),
  r('POST', '/onlineagent/:p/rest/:p/:p', 'rest', (c) =>
    selfRest(c.sim, c.params[0] as string, c.guid, c.params[1] as string, c.params[2] as string),
  ),
  r('POST', '/onlineagent/:p/resetskill/:p', 'resetSkill', (c) =>
    resetSkill(c.sim, c.params[0] as string, c.guid, c.params[1] as string, c.query),
  ),
  r('GET', '/agentgroup/:p/iscensor', 'isCensor', (c) => isCensor(c.sim, c.params[0] as string, c.guid)),
  r('GET', '/agentgroup/:p/allagentstatus', 'queryAllAgentStatus', (c) =>
    allAgentStatus(c.sim, c.params[0] as string, c.guid),
  ),
  r('GET', '/agentgroup/:p/onlineagentonvdn', 'queryOnlineAgentOnVdn', (c) =>
    onlineAgentsOnVdn(c.sim, c.params[0] as string, c.guid),
  ),
  r('GET', '/agentgroup/:p/agentbyskill/:p', 'queryAgentInfoBySkillId', (c) =>
    agentsBySkill(c.sim, c.params[0] as string, c.guid, c.params[1] as string, false),
  ),
  r('GET', '/agentgroup/:p/agentbyconfigedskill/:p', 'queryAgentByConfigedSkill', (c) =>
    agentsBySkill(c.sim, c.params[0] as string, c.guid, c.params[1] as string, true),
  ),
  r('GET', '/onlineagent/:p/agentskills', 'queryAgentSkills', (c) =>
    agentSkills(c.sim, c.params[0] as string, c.guid),
  ),
  r('GET', '/onlineagent/:p/agentskillsbyworkno/:p', 'queryAgentSkillsByWorkNo', (c) =>
    agentSkills(c.sim, c.params[0] as string, c.guid, c.params[1] as string),
  ),
  r('POST', '/qualitycontrol/:p/beginmonitor', 'beginMonitor', (c) =>
    monitorAgents(c.sim, true, c.params[0] as string, c.guid, c.query.get('agents')),
  ),
  r('POST', '/qualitycontrol/:p/endmonitor', 'endMonitor', (c) =>
    monitorAgents(c.sim, false, c.params[0] as string, c.guid, c.query.get('agents')),
  ),
  r('GET', '/qualitycontrol/:p/allagent', 'queryAllMonitoredAgents', (c) =>
    allMonitoredAgents(c.sim, c.params[0] as string, c.guid),
  ),
  r('POST', '/qualitycontrol/:p/forcerest/:p/:p/:p', 'forceRest', (c) =>
    qcAgentOp(c.sim, 'forceRest', c.params[0] as string, c.guid, {
      target: c.params[1],
      rest: { time: c.params[2] as string, reason: c.params[3] as string },
    }),
  ),
  r('GET', '/onlineagent/:p/agentstatus', 'getAgentStatus', (c) =>
    agentOps.agentStatus(c.sim, c.params[0] as string, c.guid),
  ),
  modern(
    r('PUT', '/onlineagent/:p/updateGuid', 'updateGuid', (c) =>
      agentOps.updateGuid(c.sim, c.params[0] as string, c.guid),
    ),
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
  modern(r('PUT', '/qualitycontrol/:p/intercept/:p/:p', 'intercept', qc('intercept', 'path'))),
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

/** The route for a request; `//` in the path counts as `/` (base URLs configured with a trailing `/`). */
export function matchRoute(
  method: string,
  pathname: string,
  profile: SimProfile = 'default',
): RouteMatch | undefined {
  const path = pathname.replace(/\/{2,}/g, '/');
  for (const route of ROUTES) {
    if (route.method !== method || (route.modern && profile === 'legacy')) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    // The 2018 table's path variable `{agentid:[1-9][\d]{0,3}|[1-5][\d]{4}}`: other IDs do not match at all.
    if (profile === 'legacy' && m[1] !== undefined && !LEGACY_AGENT_ID.test(m[1])) return undefined;
    try {
      return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

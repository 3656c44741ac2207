/** `onlineagent` and `agentevent` interfaces: sign-in/out, event poll, heartbeat, status, updateGuid. */
import { setGuidHeader } from './auth';
import type { Simulator } from './model';
import { AGENT_ID_RE, eventReply, fail, ok, okNoResult, parseBody } from './replies';
import type { GwReply, RestState, Session } from './types';

const SERVICE_TOKEN_RE = /^[A-Za-z0-9._-]{1,50}$/;

/** PUT /onlineagent/{agentid} (login) and PUT /onlineagent/{agentid}/forcelogin (forceLogin). */
export function signIn(sim: Simulator, agentId: string, rawBody: string, force: boolean): GwReply {
  const parsed = parseBody(rawBody);
  if (!parsed.ok) return fail('000-006');
  const body = parsed.value ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('000-006');
  // Real clients send nulls for fields they leave out (C# demo): a null is an absent field.
  const b = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null)) as Record<string, unknown>;
  if (!AGENT_ID_RE.test(agentId)) return fail('000-002');
  if (typeof b.password !== 'string') return fail('100-001');

  let status: RestState = 4;
  if (b.status !== undefined) {
    const n = typeof b.status === 'string' ? Number(b.status) : b.status;
    if (n !== 3 && n !== 4 && n !== 5) return fail('100-011');
    status = n;
  }
  if (b.phonenum !== undefined && (typeof b.phonenum !== 'string' || b.phonenum.length > 24))
    return fail('100-011');
  let callBackUri: string | undefined;
  if (b.callBackUri !== undefined && b.callBackUri !== '') {
    if (typeof b.callBackUri !== 'string' || b.callBackUri.length > 200 || !isHttpUrl(b.callBackUri))
      return fail('100-011');
    callBackUri = b.callBackUri;
  }
  let serviceToken: string | undefined;
  if (b.serviceToken !== undefined && b.serviceToken !== '') {
    if (typeof b.serviceToken !== 'string' || !SERVICE_TOKEN_RE.test(b.serviceToken)) return fail('100-001');
    serviceToken = b.serviceToken;
  }

  const agent = sim.rec(agentId);
  // An empty password is answered like a wrong one (every agent of a scenario has a password).
  if (!agent || b.password === '' || agent.password !== b.password) return fail('100-004');
  if (agent.session) {
    if (!force) return fail('100-002');
    sim.signOut(agent, 'kick');
  }
  const opts: Parameters<Simulator['openSession']>[1] = { status };
  // The 2018 route table has no handshake: such a gateway does not push (Assumed behaviour 30), so
  // the callback fields are ignored and the session's events are polled.
  const pushes = sim.config.profile !== 'legacy';
  if (callBackUri && pushes) opts.callBackUri = callBackUri;
  if (serviceToken && pushes) opts.serviceToken = serviceToken;
  const s = sim.openSession(agent, opts);
  const reply = ok({
    vdnid: agent.vdn,
    workno: agent.id,
    mediatype: 'TTF',
    loginTime: String(s.loginTime),
    isForceChange: 'false',
    serverName: 'AgentGateway',
    timeRemaining: '',
  });
  reply.headers = { 'Set-GUID': setGuidHeader(s.currentGuid) };
  return reply;
}

/** DELETE /onlineagent/{agentid}/logout: refused (100-010) while talking, monitoring or intercepting. */
export function logout(sim: Simulator, agentId: string, guid: string | undefined): GwReply {
  const s = sim.guids.check(guid, agentId, sim.now());
  const a = sim.rec(agentId);
  if (!s || !a) return fail('100-006');
  if (a.callId || a.monitoring) return fail('100-010');
  sim.signOut(a, 'logout');
  return ok({}, 'success');
}

/** DELETE /onlineagent/{agentid}/forcelogout: signs out even while talking; AgentOther_ShutdownService. */
export function forceLogout(sim: Simulator, agentId: string, guid: string | undefined): GwReply {
  const s = sim.guids.check(guid, agentId, sim.now());
  const a = sim.rec(agentId);
  if (!s || !a) return fail('100-006');
  sim.signOut(a, 'forced');
  return ok({}, 'success');
}

/**
 * GET /agentevent/{agentid}: long poll, one event per response, `event: null` after the hold.
 * Refreshes the heartbeat; in auth mode 2 rotates the Guid when due (Set-GUID on this response).
 * A Guid of a session that was signed out by the system still reads that session's last events
 * (ending with AgentOther_ShutdownService) once; then 100-006.
 */
export async function pollEvent(
  sim: Simulator,
  agentId: string,
  guid: string | undefined,
  signal: AbortSignal,
): Promise<GwReply> {
  const now = sim.now();
  const s = sim.guids.check(guid, agentId, now);
  if (!s) {
    const ended = sim.guids.owner(guid, agentId);
    if (ended?.ended && ended.mode === 'poll') {
      const e = sim.takeEvent(ended);
      if (e) return eventReply(e);
    }
    return fail('100-006');
  }
  if (s.mode === 'push') return fail('000-001');
  s.lastHeartbeat = now;
  const rotated = sim.guids.rotateIfDue(s, now);
  const headers = rotated ? { 'Set-GUID': setGuidHeader(rotated) } : undefined;
  const r = await sim.waitForEvent(s, sim.config.pollHoldMs, signal);
  if (r === 'gone') return fail('100-006');
  if (signal.aborted) {
    if (r) sim.requeueFront(s, r);
    return eventReply(null, headers);
  }
  if (!s.ended) s.lastHeartbeat = sim.now();
  return eventReply(r, headers);
}

/** POST /onlineagent/{agentid}/handshake: push-mode heartbeat (also accepted in poll mode). */
export function handshake(sim: Simulator, agentId: string, guid: string | undefined): GwReply {
  return keepAlive(sim, agentId, guid, () => okNoResult());
}

/** PUT /onlineagent/{agentid}/heartbeat (2019/20 demos' push heartbeat): like handshake, result `{loginTime}`. */
export function heartbeat(sim: Simulator, agentId: string, guid: string | undefined): GwReply {
  return keepAlive(sim, agentId, guid, (s) => ok({ loginTime: String(s.loginTime) }, 'success'));
}

/** A heartbeat: refreshes the session's heartbeat and rotates its Guid when due (Set-GUID on the reply). */
function keepAlive(
  sim: Simulator,
  agentId: string,
  guid: string | undefined,
  answer: (s: Session) => GwReply,
): GwReply {
  const now = sim.now();
  const s = sim.guids.check(guid, agentId, now);
  if (!s) return fail('100-006');
  s.lastHeartbeat = now;
  const rotated = sim.guids.rotateIfDue(s, now);
  const reply = answer(s);
  if (rotated) reply.headers = { 'Set-GUID': setGuidHeader(rotated) };
  return reply;
}

/**
 * GET /agentevent/allagentevent: the session is the Guid's (no agent ID in the path); answers every queued
 * event at once as an `event` array (`[]` when none, without a hold). Refreshes the heartbeat like a poll.
 */
export function pollAllEvents(sim: Simulator, guid: string | undefined): GwReply {
  const now = sim.now();
  const s = sim.guids.find(guid, now);
  if (!s) return fail('100-006');
  if (s.mode === 'push') return fail('000-001');
  s.lastHeartbeat = now;
  const rotated = sim.guids.rotateIfDue(s, now);
  const events = [];
  for (let e = sim.takeEvent(s); e; e = sim.takeEvent(s)) events.push(e);
  const reply: GwReply = { body: { message: '', retcode: '0', event: events } };
  if (rotated) reply.headers = { 'Set-GUID': setGuidHeader(rotated) };
  return reply;
}

/** GET /onlineagent/{agentid}/agentstatus: {agentState (T1), isWorking}. */
export function agentStatus(sim: Simulator, agentId: string, guid: string | undefined): GwReply {
  const s = sim.guids.check(guid, agentId, sim.now());
  const a = sim.rec(agentId);
  if (!s || !a) return fail('100-006');
  return ok({ agentState: sim.stateOf(a), isWorking: a.callId !== undefined || a.monitoring !== undefined });
}

/** PUT /onlineagent/{agentid}/updateGuid: a new Guid in the body (mode 1: the same one). */
export function updateGuid(sim: Simulator, agentId: string, guid: string | undefined): GwReply {
  const now = sim.now();
  const s = sim.guids.check(guid, agentId, now);
  if (!s) return fail('100-006');
  return ok({ guid: sim.guids.refresh(s, now) }, 'success');
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The simulator's own control API under /sim/ (plain JSON; not part of the gateway). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { floorControl, NOT_FLOOR } from './control-floor';
import { FaultError } from './faults';
import { readBody, sendJson } from './http';
import { SimError, type Simulator } from './model';
import { SIM_PROFILES, type SimProfile } from './options';

export async function handleControl(
  sim: Simulator,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  try {
    const out = await route(sim, req, url);
    sendJson(res, 200, out);
  } catch (err) {
    if (err instanceof SimError) sendJson(res, err.status, { error: err.message });
    else if (err instanceof FaultError || err instanceof BadRequest)
      sendJson(res, 400, { error: err.message });
    else if (err instanceof NotFound) sendJson(res, 404, { error: err.message });
    else sendJson(res, 500, { error: `internal error: ${(err as Error).message}` });
  }
}

class BadRequest extends Error {}
class NotFound extends Error {}

async function route(sim: Simulator, req: IncomingMessage, url: URL): Promise<unknown> {
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '');
  const key = `${method} ${path}`;
  if (key === 'GET /sim/state') return sim.snapshot();
  if (key === 'GET /sim/profile') return profileOf(sim);
  if (key === 'POST /sim/profile') {
    sim.setProfile(parseProfile(await jsonBody(req)));
    return profileOf(sim);
  }
  if (key === 'GET /sim/requests') {
    const since = url.searchParams.get('since');
    const n = since === null ? 0 : Number(since);
    if (!Number.isInteger(n) || n < 0) throw new BadRequest('since must be an integer >= 0');
    return sim.requestsSince(n);
  }
  if (key === 'POST /sim/calls') {
    const b = await jsonBody(req);
    if (typeof b.agentId !== 'string' && typeof b.agentId !== 'number')
      throw new BadRequest('agentId: expected the agent ID as a string');
    const opts: { caller?: string; called?: string; callId?: string } = {};
    for (const k of ['caller', 'called', 'callId'] as const) {
      const v = b[k];
      if (v === undefined) continue;
      if (typeof v !== 'string') throw new BadRequest(`${k}: expected a string`);
      opts[k] = v;
    }
    return sim.startCall(String(b.agentId), opts);
  }
  const callMatch = /^\/sim\/calls\/([^/]+)$/.exec(path);
  if (method === 'DELETE' && callMatch) {
    sim.endCall(decodeURIComponent(callMatch[1] as string));
    return { ok: true };
  }
  const eventsMatch = /^\/sim\/events\/([^/]+)$/.exec(path);
  if (method === 'GET' && eventsMatch) {
    const id = decodeURIComponent(eventsMatch[1] as string);
    if (!sim.agent(id)) throw new NotFound(`unknown agent ${JSON.stringify(id)}`);
    return sim.peekEvents(id);
  }
  if (key === 'POST /sim/faults') {
    sim.injectFault((await jsonBody(req)) as never);
    return { ok: true, faults: sim.faults.list() };
  }
  if (key === 'DELETE /sim/faults') {
    sim.clearFaults();
    return { ok: true };
  }
  if (key === 'POST /sim/clock/advance') {
    const b = await jsonBody(req);
    if (typeof b.ms !== 'number' || !Number.isFinite(b.ms) || b.ms < 0)
      throw new BadRequest('ms: expected a number >= 0');
    sim.advance(b.ms);
    return { now: sim.now() };
  }
  if (key === 'POST /sim/reset') {
    sim.reset();
    return { ok: true };
  }
  const floor = await floorControl(sim, key, () => jsonBody(req));
  if (floor !== NOT_FLOOR) return floor;
  throw new NotFound(`no such control endpoint: ${method} ${url.pathname}`);
}

function profileOf(sim: Simulator): { profile: SimProfile; elbCookie: boolean; pollHoldMs: number } {
  const c = sim.config;
  return { profile: c.profile, elbCookie: c.elbCookie, pollHoldMs: c.pollHoldMs };
}

function parseProfile(b: Record<string, unknown>): Parameters<Simulator['setProfile']>[0] {
  const out: Parameters<Simulator['setProfile']>[0] = {};
  if (b.profile !== undefined) {
    if (!(SIM_PROFILES as readonly unknown[]).includes(b.profile))
      throw new BadRequest(`profile: expected one of ${SIM_PROFILES.join(', ')}`);
    out.profile = b.profile as SimProfile;
  }
  if (b.elbCookie !== undefined) {
    if (typeof b.elbCookie !== 'boolean') throw new BadRequest('elbCookie: expected true or false');
    out.elbCookie = b.elbCookie;
  }
  if (b.pollHoldMs !== undefined) {
    if (typeof b.pollHoldMs !== 'number' || !Number.isFinite(b.pollHoldMs) || b.pollHoldMs < 0)
      throw new BadRequest('pollHoldMs: expected a number >= 0');
    out.pollHoldMs = b.pollHoldMs;
  }
  return out;
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  let v: unknown;
  try {
    v = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new BadRequest('body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new BadRequest('body must be a JSON object');
  return v as Record<string, unknown>;
}

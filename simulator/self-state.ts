/**
 * An agent's own state calls (`POST /onlineagent/{agentid}/…`): sayfree, saybusy, cancelbusy, work,
 * cancelwork, rest/{time}/{cause}, cancelrest, resetskill/{flag}. They answer `{"message":"","retcode":"0"}`
 * (addendum §2) and change the agent's rest state at once, with the events real clients switch on.
 * On a call or while monitoring the T1 state stays 7 until that ends (the end of a call still sets idle).
 */
import * as ev from './events';
import type { Simulator } from './model';
import { fail, okBare } from './replies';
import type { AgentRec, GwReply, RestState } from './types';

export type SelfStateOp = 'sayFree' | 'sayBusy' | 'cancelBusy' | 'sayWork' | 'cancelWork' | 'cancelRest';

/** The "leaving" event for each state an agent can leave by going idle. */
const LEAVE: Partial<Record<RestState, () => ev.EventSpec>> = {
  3: ev.cancelNotReadySuccess,
  5: ev.cancelWorkSuccess,
  8: ev.cancelRestSuccess,
};

/** The state a cancel call leaves; other states are left alone (the call still succeeds). */
const CANCELS: Partial<Record<SelfStateOp, RestState>> = { cancelBusy: 3, cancelWork: 5, cancelRest: 8 };

export function selfState(
  sim: Simulator,
  op: SelfStateOp,
  agentId: string,
  guid: string | undefined,
  query: URLSearchParams,
): GwReply {
  const a = signedIn(sim, agentId, guid);
  if (!a) return fail('100-006');
  switch (op) {
    case 'sayBusy': {
      const reason = query.get('reason') ?? '1';
      if (!/^[0-9]{1,3}$/.test(reason)) return fail('000-002');
      setState(sim, a, 3, [ev.setNotReadySuccess(reason)]);
      return okBare();
    }
    case 'sayWork':
      setState(sim, a, 5, [ev.setWorkSuccess(), ev.work()]);
      return okBare();
    case 'sayFree':
      goIdle(sim, a);
      return okBare();
    default:
      if (a.restState === CANCELS[op]) goIdle(sim, a);
      return okBare();
  }
}

/** POST rest/{time}/{restcause}: time 1–86399 s, cause 0–255 (the 2018 route table's ranges). */
export function selfRest(
  sim: Simulator,
  agentId: string,
  guid: string | undefined,
  time: string,
  cause: string,
): GwReply {
  const a = signedIn(sim, agentId, guid);
  if (!a) return fail('100-006');
  if (!validRest(time, cause)) return fail('000-002');
  startRest(sim, a, Number(time));
  return okBare();
}

/** POST resetskill/{true|false}?skillid=1;2&phonelinkage=0|1 — accepted; skills are not modelled. */
export function resetSkill(
  sim: Simulator,
  agentId: string,
  guid: string | undefined,
  flag: string,
  query: URLSearchParams,
): GwReply {
  if (!signedIn(sim, agentId, guid)) return fail('100-006');
  const skills = query.get('skillid');
  const linkage = query.get('phonelinkage');
  if (flag !== 'true' && flag !== 'false') return fail('000-002');
  if (skills !== null && skills !== '' && !/^[0-9]+(;[0-9]+)*;?$/.test(skills)) return fail('000-002');
  if (linkage !== null && linkage !== '0' && linkage !== '1') return fail('000-002');
  return okBare();
}

export function validRest(time: string, cause: string): boolean {
  const t = Number(time);
  const c = Number(cause);
  return /^[0-9]{1,5}$/.test(time) && t >= 1 && t <= 86_399 && /^[0-9]{1,3}$/.test(cause) && c <= 255;
}

/** Rest for `seconds`: AgentState_SetRest_Success now, AgentState_Rest_Timeout when the time is over. */
export function startRest(sim: Simulator, a: AgentRec, seconds: number): void {
  setState(sim, a, 8, [ev.setRestSuccess()]);
  a.restUntil = sim.now() + seconds * 1_000;
}

function goIdle(sim: Simulator, a: AgentRec): void {
  const leave = LEAVE[a.restState];
  setState(sim, a, 4, [...(leave ? [leave()] : []), ev.ready()]);
}

function setState(sim: Simulator, a: AgentRec, to: RestState, events: ev.EventSpec[]): void {
  a.restState = to;
  a.restUntil = undefined;
  for (const e of events) sim.emit(a, e);
}

function signedIn(sim: Simulator, agentId: string, guid: string | undefined): AgentRec | undefined {
  if (!sim.guids.check(guid, agentId, sim.now())) return undefined;
  return sim.rec(agentId);
}

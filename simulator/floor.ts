/**
 * What a "floor" view of real clients reads (addendum §2): `agentgroup/{id}/iscensor`, `allagentstatus`,
 * `onlineagentonvdn`, and `qualitycontrol/{id}/beginmonitor|endmonitor|allagent` (QC_AgentState_Notify
 * to the monitor). Every field of the agent lists is a string, as the C# demo declares them.
 */
import type { Simulator } from './model';
import { AGENT_ID_RE, fail, ok } from './replies';
import { type AgentRec, CTI_STATUS, type GwReply } from './types';

/** The agent-group name of every agent (scenarios have no groups). */
export const GROUP_NAME = 'default';

/** GET agentgroup/{id}/iscensor: `result` = whether the agent has QC (inspector) rights. */
export function isCensor(sim: Simulator, agentId: string, guid: string | undefined): GwReply {
  const a = caller(sim, agentId, guid);
  return a ? ok(a.qc) : fail('100-006');
}

/** GET agentgroup/{id}/allagentstatus: every agent of the caller's VDN, signed out ones too, the caller too. */
export function allAgentStatus(sim: Simulator, agentId: string, guid: string | undefined): GwReply {
  const a = caller(sim, agentId, guid);
  return a ? ok(sim.agentsInVdn(a.vdn).map((x) => statusEntry(sim, x))) : fail('100-006');
}

/** GET agentgroup/{id}/onlineagentonvdn: the signed-in agents of the caller's VDN, `{workno, name, status}`. */
export function onlineAgentsOnVdn(sim: Simulator, agentId: string, guid: string | undefined): GwReply {
  const a = caller(sim, agentId, guid);
  if (!a) return fail('100-006');
  const list = sim
    .agentsInVdn(a.vdn)
    .filter((x) => x.session)
    .map((x) => ({ workno: x.id, name: x.id, status: String(sim.stateOf(x)) }));
  return ok(list);
}

/**
 * POST qualitycontrol/{id}/beginmonitor?agents=a;b / endmonitor?agents=…: start/stop QC_AgentState_Notify
 * for those agents. IDs outside the inspector's VDN, unknown ones and the inspector itself are skipped.
 */
export function monitorAgents(
  sim: Simulator,
  begin: boolean,
  agentId: string,
  guid: string | undefined,
  agents: string | null,
): GwReply {
  const a = caller(sim, agentId, guid);
  if (!a) return fail('100-006');
  const ids = (agents ?? '').split(';').filter((x) => x !== '');
  if (ids.length === 0 || !ids.every((x) => AGENT_ID_RE.test(x))) return fail('000-002');
  if (!a.qc) return fail('900-002');
  const targets = ids.filter((x) => x !== a.id && sim.rec(x)?.vdn === a.vdn);
  if (begin) sim.watch(a, targets);
  else sim.unwatch(a, targets);
  return ok();
}

/** GET qualitycontrol/{id}/allagent: the agents this session has under beginmonitor, as allagentstatus lists them. */
export function allMonitoredAgents(sim: Simulator, agentId: string, guid: string | undefined): GwReply {
  const a = caller(sim, agentId, guid);
  if (!a) return fail('100-006');
  if (!a.qc) return fail('900-002');
  const list = [...(a.watching ?? [])]
    .sort((x, y) => Number(x) - Number(y))
    .map((id) => sim.rec(id))
    .filter((x): x is AgentRec => x !== undefined)
    .map((x) => statusEntry(sim, x));
  return ok(list);
}

/**
 * GET agentgroup/{id}/agentbyskill/{skillid} (signed-in agents of the skill queue) and
 * agentbyconfigedskill/{skillid} (every agent configured for it, signed out too), in the caller's VDN, by
 * ascending ID. The reference gives no fields (UNCONFIRMED): answered like allagentstatus. A skill ID that
 * is not digits → 100-019 (invalid parameter when querying skill queues); an unknown skill → `[]`.
 */
export function agentsBySkill(
  sim: Simulator,
  agentId: string,
  guid: string | undefined,
  skillId: string,
  configured: boolean,
): GwReply {
  const a = caller(sim, agentId, guid);
  if (!a) return fail('100-006');
  if (!/^[0-9]{1,9}$/.test(skillId)) return fail('100-019');
  const skill = Number(skillId);
  const list = sim
    .agentsInVdn(a.vdn)
    .filter((x) => x.skills.includes(skill) && (configured || x.session))
    .map((x) => statusEntry(sim, x));
  return ok(list);
}

/**
 * GET onlineagent/{id}/agentskills (own) and agentskillsbyworkno/{workno}: `[{name, id, mediatype}]` (the
 * addendum's ZZ comment; mediatype 5 = voice). An agent of another VDN or an unknown one → `[]` (assumed).
 */
export function agentSkills(
  sim: Simulator,
  agentId: string,
  guid: string | undefined,
  workNo?: string,
): GwReply {
  const a = caller(sim, agentId, guid);
  if (!a) return fail('100-006');
  if (workNo !== undefined && !AGENT_ID_RE.test(workNo)) return fail('000-002');
  const target = workNo === undefined ? a : sim.rec(workNo);
  if (!target || target.vdn !== a.vdn) return ok([]);
  return ok(
    target.skills.map((id) => ({ name: sim.skillName(id) ?? String(id), id, mediatype: VOICE_MEDIA_TYPE })),
  );
}

/** `mediatype` of a voice skill (AP constants: 1 text chat, 5 voice). */
const VOICE_MEDIA_TYPE = 5;

function statusEntry(sim: Simulator, a: AgentRec) {
  const state = sim.stateOf(a);
  return {
    workno: a.id,
    name: a.id,
    status: String(state),
    ctiStatus: a.callId && !sim.onAnsweredCall(a) ? CTI_RINGING : CTI_STATUS[state],
    groupName: GROUP_NAME,
  };
}

/** T2 "answering": a customer call rings at the agent (T1 has no ringing state; it says 7). Assumed. */
const CTI_RINGING = '4';

function caller(sim: Simulator, agentId: string, guid: string | undefined): AgentRec | undefined {
  return sim.guids.check(guid, agentId, sim.now()) ? sim.rec(agentId) : undefined;
}

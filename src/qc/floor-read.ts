import { type AgentStatusEntry, GatewayTransportError } from '../gateway';
import type { InspectorLink, SessionRecord } from '../store/types';
import { agentMonitors } from './alert-actions';
import { buildFloor, type Floor, type FloorMonitorRecord, type FloorScope } from './floor';
import type { SlackContext } from './model';
import type { FloorProblem } from './notice';
import type { QcOutcome } from './outcome';
import { effectivePermissions, type Permission } from './permissions';
import type { QcDeps, QcPolicy } from './ports';
import { gatewaySession, isUsableSession, noSession, type Requester } from './run-qc';
import { adoptSessionChanges, confirmSessionGone, unconfirmedExplanation } from './session-changes';

/**
 * What opening or redrawing a floor needs first, and its one gateway read. A floor lists agents to
 * monitor: it is open to an inspector who may monitor in any way (any one of listen, insert, whisper,
 * intercept in their effective permissions, src/qc/permissions.ts); force and release alone do not
 * count. The read is one `allagentstatus` (on the requester's own session); who monitors whom comes from
 * qc-slack's monitoring records (as `/qc who`), not from a second gateway read.
 */

/** The permissions that make a floor useful: any one of them opens it. */
export const FLOOR_PERMISSIONS: readonly Permission[] = ['listen', 'insert', 'whisper', 'intercept'];

export function mayOpenFloor(link: InspectorLink, policy: QcPolicy): boolean {
  const own = effectivePermissions(link.permissions, policy.defaultPermissions);
  return own.some((p) => FLOOR_PERMISSIONS.includes(p));
}

export type FloorAdmission =
  | { ok: true; link: InspectorLink; session: SessionRecord }
  | { ok: false; refusal: QcOutcome | 'not-allowed' };

/** Linked, allowed to monitor, signed in by this very Slack user. */
export async function admitFloor(deps: QcDeps & QcPolicy, who: Requester): Promise<FloorAdmission> {
  const link = await deps.store.getLink(who.teamId, who.userId);
  if (!link) return { ok: false, refusal: { kind: 'not-linked' } };
  if (!mayOpenFloor(link, deps)) return { ok: false, refusal: 'not-allowed' };
  const session = await deps.store.getSession(link.inspectorId);
  if (session && isUsableSession(session, who)) return { ok: true, link, session };
  return { ok: false, refusal: noSession(link.inspectorId, session, who) };
}

/** Tell the requester why no floor (the QC refusals' own words for not linked / not signed in). */
export async function tellRefusal(
  deps: QcDeps & QcPolicy,
  slack: SlackContext,
  refusal: QcOutcome | 'not-allowed',
): Promise<string> {
  if (refusal === 'not-allowed') {
    await deps.notifier.tell(slack, { kind: 'floor-not-allowed', admins: [...deps.adminUserIds] });
    return 'not-allowed';
  }
  await deps.notifier.report(slack, refusal);
  return refusal.kind;
}

export type FloorRead =
  | { ok: true; floor: Floor; notes: string[] }
  | { ok: false; problem: FloorProblem; detail: string };

/** The floor now: one `allagentstatus` read, the inspector's own entry left out, qc-slack's monitors. */
export async function readFloor(deps: QcDeps, session: SessionRecord, scope: FloorScope): Promise<FloorRead> {
  const read = await readAgents(deps, session, scope);
  if (!read.ok) return read;
  const now = deps.now();
  const entries = read.agents.filter((e) => e.workNo !== session.inspectorId);
  const floor = buildFloor(entries, await floorMonitorRecords(deps, session.teamId), now);
  const notes =
    scope.kind === 'skill' && read.skillFilter === 'unavailable'
      ? [
          `This gateway's agent list does not say skill queues: every agent of your VDN is shown, not only skill ${scope.skillId}.`,
        ]
      : [];
  return { ok: true, floor, notes };
}

/** qc-slack's monitoring records of a team as the floor shows them (who monitors whom, and how). */
export async function floorMonitorRecords(deps: QcDeps, teamId: string): Promise<FloorMonitorRecord[]> {
  const rows = await agentMonitors(deps, teamId);
  return rows.flatMap((r) =>
    r.agentId ? [{ agentId: r.agentId, kind: 'slack-user' as const, who: r.userId, mode: r.mode }] : [],
  );
}

type AgentsRead =
  | { ok: true; agents: AgentStatusEntry[]; skillFilter?: 'applied' | 'unavailable' }
  | { ok: false; problem: FloorProblem; detail: string };

/**
 * The one gateway read. A rotated Guid or new cookies are kept; a "session unknown" answer ends our
 * session record only once the gateway confirms it (as QC requests do).
 */
async function readAgents(deps: QcDeps, session: SessionRecord, scope: FloorScope): Promise<AgentsRead> {
  try {
    const opts = scope.kind === 'skill' ? { skillId: scope.skillId } : {};
    const out = await deps.gateway.allAgentStatus(gatewaySession(session), opts);
    const current = await adoptSessionChanges(deps, session, out);
    if (out.ok)
      return {
        ok: true,
        agents: out.data.agents,
        ...(out.data.skillFilter ? { skillFilter: out.data.skillFilter } : {}),
      };
    let explanation = out.explanation;
    if (explanation.sessionEnded && current) {
      const verdict = await confirmSessionGone(deps, gatewaySession(current));
      if (verdict === 'gone')
        await deps.store.endSession(
          session.inspectorId,
          session.sessionId,
          `gateway ${out.retcode} on ${out.operation}`,
          deps.now(),
        );
      else explanation = unconfirmedExplanation(explanation, verdict);
    }
    const { meaning, nextStep } = explanation;
    return {
      ok: false,
      problem: { kind: 'refused', retcode: out.retcode, meaning, nextStep },
      detail: out.retcode,
    };
  } catch (err) {
    if (!(err instanceof GatewayTransportError)) throw err;
    return {
      ok: false,
      problem: { kind: 'unreachable', explanation: err.explanation, nextStep: err.nextStep },
      detail: `transport:${err.kind}`,
    };
  }
}

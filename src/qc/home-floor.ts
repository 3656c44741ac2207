import type { InspectorLink, SessionRecord } from '../store/types';
import type { FloorScope, FloorView } from './floor';
import { mayOpenFloor, readFloor } from './floor-read';
import type { HomeFloor, QcDeps, QcPolicy } from './ports';
import type { Requester } from './run-qc';

/** The Home tab's floor of one user (a FloorRecord with no channel/ts). */
export const homeFloorId = (userId: string) => `home:${userId}`;

/**
 * The App Home tab's Floor section, read fresh: the scope and page the user last had on Home (else their
 * VDN, page 1), one `allagentstatus` read on their own session, and the record stored (live from now) so
 * the keeper keeps the tab current. Not signed in, not allowed, or a failed read: the reason, nothing stored.
 */
export async function homeFloor(
  deps: QcDeps & QcPolicy,
  who: Requester,
  link: InspectorLink,
  session: SessionRecord | undefined,
): Promise<HomeFloor> {
  if (session?.status !== 'active') return { kind: 'sign-in' };
  if (!mayOpenFloor(link, deps)) return { kind: 'not-allowed' };
  const floorId = homeFloorId(who.userId);
  const rec = await deps.store.floors.getFloor(who.teamId, floorId);
  const scope: FloorScope = rec?.scope ?? { kind: 'vdn' };
  const read = await readFloor(deps, session, scope);
  if (!read.ok) return { kind: 'unread', problem: read.problem };
  const now = deps.now();
  const page = rec?.page ?? 0;
  await deps.store.floors.putFloor({
    teamId: who.teamId,
    floorId,
    userId: who.userId,
    inspectorId: link.inspectorId,
    scope,
    page,
    openedAt: now,
  });
  const view: FloorView = {
    floor: read.floor,
    scope,
    now,
    page,
    ...(read.notes.length ? { notes: read.notes } : {}),
  };
  return { kind: 'shown', view };
}

import type { Job } from '../queue/jobs';
import { ConflictError, type InspectorLink, type SessionRecord } from '../store/types';
import { agentMonitors } from './alert-actions';
import { rangeDays } from './audit';
import { type EndCause, endSessionByAdmin } from './end-session';
import type { FloorView } from './floor';
import { homeFloor } from './home-floor';
import type { AdminChange, EndedSession, Notice } from './notice';
import { applyChange, effectivePermissions, isPermission } from './permissions';
import { phonesOf } from './phones';
import type { HomeFloor, QcDeps, QcPolicy } from './ports';
import { ownsSession, type Requester } from './run-qc';

type JobOf<K extends Job['kind']> = Extract<Job, { kind: K }>;

/** `/qc allow|deny @user <permissions>`: admins only (re-checked here; the queue is not trusted). */
export async function changePermissions(deps: QcDeps & QcPolicy, job: JobOf<'permissions'>): Promise<string> {
  const tell = (notice: Notice) => deps.notifier.tell(job.slack, notice);
  if (!deps.adminUserIds.has(job.slack.userId)) {
    await tell({ kind: 'admin-only', command: 'permissions' });
    return 'not-admin';
  }
  const link = await deps.store.getLink(job.slack.teamId, job.targetUserId);
  if (!link) {
    await tell({ kind: 'user-not-linked', targetUserId: job.targetUserId });
    return 'not-linked';
  }
  const wanted = job.permissions.filter(isPermission);
  const next = applyChange(
    effectivePermissions(link.permissions, deps.defaultPermissions),
    job.change,
    wanted,
  );
  const saved = await deps.store.setPermissions(job.slack.teamId, job.targetUserId, next);
  if (!saved) {
    await tell({ kind: 'unlinked-meanwhile', targetUserId: job.targetUserId });
    return 'not-linked';
  }
  await tell({
    kind: 'permissions',
    targetUserId: job.targetUserId,
    inspectorId: link.inspectorId,
    permissions: next,
    byDefault: false,
  });
  await deps.store.record({
    teamId: job.slack.teamId,
    userId: job.slack.userId,
    inspectorId: link.inspectorId,
    operation: job.change,
    outcome: 'ok',
    at: deps.now(),
    detail: `${job.targetUserId}: ${next.join(',')}`,
  });
  return job.change;
}

/** `/qc who [agent]`: from the monitoring state the events keep true, with each inspector's Slack user. */
export async function showWho(deps: QcDeps, job: JobOf<'who'>): Promise<void> {
  const rows = await agentMonitors(deps, job.slack.teamId, job.agentId);
  await deps.notifier.tell(job.slack, {
    kind: 'who',
    ...(job.agentId ? { agentId: job.agentId } : {}),
    now: deps.now(),
    rows,
  });
}

/** `/qc status`: the user's link, their own session and what it monitors (admins: gateway fallbacks). */
export async function showStatus(deps: QcDeps & QcPolicy, job: JobOf<'status'>): Promise<void> {
  const { store } = deps;
  const link = await store.getLink(job.slack.teamId, job.slack.userId);
  const session = link ? await store.getSession(link.inspectorId) : undefined;
  const monitoring = link ? await store.getMonitoring(link.inspectorId) : undefined;
  const own = ownsSession(session, job.slack) ? session : undefined;
  const fallbacks = deps.adminUserIds.has(job.slack.userId) ? await store.getGatewayFallbacks() : undefined;
  await deps.notifier.tell(job.slack, {
    kind: 'status',
    ...(link ? { link } : {}),
    ...(own ? { session: own } : {}),
    ...(monitoring && own ? { monitoring } : {}),
    ...(fallbacks && Object.keys(fallbacks).length > 0 ? { gatewayFallbacks: fallbacks } : {}),
    now: deps.now(),
  });
}

/**
 * Publish one user's App Home tab (on app_home_opened, after actions taken from it, and by the keeper's
 * live floor redraws). `opts.floor`: the Floor section's floor as the caller already has it (no gateway
 * read, nothing stored); without it the floor is read once and its Home record stored (homeFloor).
 */
export async function showHome(
  deps: QcDeps & QcPolicy,
  teamId: string,
  userId: string,
  opts?: { floor?: FloorView },
): Promise<void> {
  const now = deps.now();
  const link = await deps.store.getLink(teamId, userId);
  const [session, monitoring, recent] = link
    ? await Promise.all([
        deps.store.getSession(link.inspectorId),
        deps.store.getMonitoring(link.inspectorId),
        recentActions(deps, teamId, userId, now),
      ])
    : [undefined, undefined, []];
  const own = ownsSession(session, { teamId, userId }) ? session : undefined;
  const floor: HomeFloor | undefined = !link
    ? undefined
    : opts?.floor && own?.status === 'active'
      ? { kind: 'shown', view: opts.floor }
      : await homeFloor(deps, { teamId, userId }, link, own);
  await deps.notifier.publishHome(teamId, {
    userId,
    ...(link ? { link } : {}),
    ...(own ? { session: own } : {}),
    ...(monitoring && own?.status === 'active' ? { monitoring } : {}),
    permissions: link ? effectivePermissions(link.permissions, deps.defaultPermissions) : [],
    recent,
    now,
    ...(floor ? { floor } : {}),
  });
}

async function recentActions(deps: QcDeps, teamId: string, userId: string, now: number) {
  const entries = await deps.store.listDays(teamId, rangeDays('7d', now));
  return entries.filter((e) => e.userId === userId).slice(0, 8);
}

/**
 * `/qc link @user <inspector> [phone,…]` (admins only). A session stays only with the Slack user who
 * signed it in and is still linked to its inspector: moving the user to another inspector ends their
 * session on the old one, and a live session on the new inspector held by someone else is ended too.
 */
export async function linkUser(deps: QcDeps & QcPolicy, job: JobOf<'link'>): Promise<string> {
  const { store } = deps;
  const tell = (notice: Notice) => deps.notifier.tell(job.slack, notice);
  if (!deps.adminUserIds.has(job.slack.userId)) {
    await tell({ kind: 'admin-only', command: 'link' });
    return 'not-admin';
  }
  const target: Requester = { teamId: job.slack.teamId, userId: job.targetUserId };
  const previous = await store.getLink(target.teamId, target.userId);
  try {
    await store.putLink({
      ...target,
      inspectorId: job.inspectorId,
      ...(job.phone ? { phone: job.phone } : {}),
      ...(job.allowedPhones?.length ? { allowedPhones: job.allowedPhones } : {}),
      linkedBy: job.slack.userId,
      linkedAt: deps.now(),
    });
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    await tell({ kind: 'inspector-taken', inspectorId: job.inspectorId });
    return 'conflict';
  }
  const phones = phonesOf(job);
  const ended = await endLeftSessions(deps, job, previous, phones);
  await tell({
    kind: 'linked',
    targetUserId: job.targetUserId,
    inspectorId: job.inspectorId,
    phones,
    ...(ended.own && previous ? { own: { inspectorId: previous.inspectorId, ended: ended.own } } : {}),
    ...(ended.taken ? { taken: ended.taken } : {}),
  });
  await store.record({
    teamId: target.teamId,
    userId: job.slack.userId,
    inspectorId: job.inspectorId,
    operation: 'link',
    outcome: 'ok',
    at: deps.now(),
    detail: job.targetUserId,
  });
  return 'linked';
}

/**
 * The sessions a link leaves without their user: the target's own when it is on another inspector
 * now or uses a phone no longer allowed, and someone else's on the newly linked inspector.
 */
async function endLeftSessions(
  deps: QcDeps,
  job: JobOf<'link'>,
  previous: InspectorLink | undefined,
  phones: string[],
): Promise<{ own?: EndedSession; taken?: EndedSession }> {
  const target: Requester = { teamId: job.slack.teamId, userId: job.targetUserId };
  const cause = (change: AdminChange): EndCause => ({
    teamId: target.teamId,
    adminId: job.slack.userId,
    change,
    reason: 'relinked by an admin',
  });
  const moved = previous !== undefined && previous.inspectorId !== job.inspectorId;
  const own = previous
    ? await endIf(
        deps,
        previous.inspectorId,
        (s) => ownsSession(s, target) && (moved || (s.phone !== undefined && !phones.includes(s.phone))),
        cause(
          moved
            ? { kind: 'relinked', from: previous.inspectorId, to: job.inspectorId }
            : { kind: 'phones-changed' },
        ),
      )
    : undefined;
  const taken = await endIf(
    deps,
    job.inspectorId,
    (s) => s.teamId === target.teamId && s.userId !== target.userId,
    cause({ kind: 'inspector-relinked', inspectorId: job.inspectorId }),
  );
  return { ...(own ? { own } : {}), ...(taken ? { taken } : {}) };
}

/** `/qc unlink @user` (admins only): the link goes, and with it the user's gateway session. */
export async function unlinkUser(deps: QcDeps & QcPolicy, job: JobOf<'unlink'>): Promise<string> {
  const { store } = deps;
  const tell = (notice: Notice) => deps.notifier.tell(job.slack, notice);
  if (!deps.adminUserIds.has(job.slack.userId)) {
    await tell({ kind: 'admin-only', command: 'unlink' });
    return 'not-admin';
  }
  const target: Requester = { teamId: job.slack.teamId, userId: job.targetUserId };
  const old = await store.deleteLink(target.teamId, target.userId);
  if (!old) {
    await tell({ kind: 'was-not-linked', targetUserId: job.targetUserId });
    return 'not-linked';
  }
  const ended = await endIf(deps, old.inspectorId, (s) => ownsSession(s, target), {
    teamId: target.teamId,
    adminId: job.slack.userId,
    change: { kind: 'unlinked', inspectorId: old.inspectorId },
    reason: 'unlinked by an admin',
  });
  await tell({
    kind: 'unlinked',
    targetUserId: job.targetUserId,
    inspectorId: old.inspectorId,
    ...(ended ? { ended } : {}),
  });
  await store.record({
    teamId: target.teamId,
    userId: job.slack.userId,
    inspectorId: old.inspectorId,
    operation: 'unlink',
    outcome: 'ok',
    at: deps.now(),
    detail: job.targetUserId,
  });
  return 'unlinked';
}

/** End the inspector's live session when `whose` says the link change leaves it without its user. */
async function endIf(
  deps: QcDeps,
  inspectorId: string,
  whose: (s: SessionRecord) => boolean,
  cause: EndCause,
): Promise<EndedSession | undefined> {
  const session = await deps.store.getSession(inspectorId);
  if (session?.status !== 'active' || !whose(session)) return undefined;
  const out = await endSessionByAdmin(deps, session, cause);
  return out ? { ...out, userId: session.userId } : undefined;
}

import { rangeDays } from '../audit/report';
import type { Job } from '../queue/jobs';
import { ConflictError, type SessionRecord } from '../store/types';
import { agentMonitors } from './alert-actions';
import { type EndCause, endSessionByAdmin, type GatewaySignOut, outcomeWords } from './end-session';
import { applyChange, effectivePermissions, isPermission } from './permissions';
import { phonesOf } from './phones';
import type { QcDeps, QcPolicy } from './ports';
import { ownsSession, type Requester } from './run-qc';

type JobOf<K extends Job['kind']> = Extract<Job, { kind: K }>;

/** `/qc allow|deny @user <permissions>`: admins only (re-checked here; the queue is not trusted). */
export async function changePermissions(deps: QcDeps & QcPolicy, job: JobOf<'permissions'>): Promise<string> {
  const tell = (text: string) => deps.notifier.tell(job.slack, { kind: 'text', text });
  if (!deps.adminUserIds.has(job.slack.userId)) {
    await tell('Only qc-slack admins can change permissions (QC_ADMIN_USER_IDS). Ask your platform team.');
    return 'not-admin';
  }
  const link = await deps.store.getLink(job.slack.teamId, job.targetUserId);
  if (!link) {
    await tell(
      `<@${job.targetUserId}> is not linked to an inspector: \`/qc link @them <inspector-id>\` first.`,
    );
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
    await tell(`<@${job.targetUserId}> was unlinked meanwhile; nothing changed.`);
    return 'not-linked';
  }
  await deps.notifier.tell(job.slack, {
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

/** Publish one user's App Home tab (on app_home_opened and after actions taken from it). */
export async function showHome(deps: QcDeps & QcPolicy, teamId: string, userId: string): Promise<void> {
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
  await deps.notifier.publishHome(teamId, {
    userId,
    ...(link ? { link } : {}),
    ...(own ? { session: own } : {}),
    ...(monitoring && own?.status === 'active' ? { monitoring } : {}),
    permissions: link ? effectivePermissions(link.permissions, deps.defaultPermissions) : [],
    recent,
    now,
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
  const tell = (text: string) => deps.notifier.tell(job.slack, { kind: 'text', text });
  if (!deps.adminUserIds.has(job.slack.userId)) {
    await tell('Only qc-slack admins can link users (QC_ADMIN_USER_IDS). Ask your platform team.');
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
    await tell(
      `Inspector ${job.inspectorId} is already linked to another Slack user. Unlink them first: /qc unlink @them`,
    );
    return 'conflict';
  }
  const cause = (what: string): EndCause => ({
    teamId: target.teamId,
    adminId: job.slack.userId,
    what,
    reason: 'relinked by an admin',
  });
  const phones = phonesOf(job);
  // Their own session ends when it is on another inspector now, or uses a phone no longer allowed.
  const own = previous
    ? await endIf(
        deps,
        previous.inspectorId,
        (s) =>
          ownsSession(s, target) &&
          (previous.inspectorId !== job.inspectorId || (s.phone !== undefined && !phones.includes(s.phone))),
        cause(
          previous.inspectorId !== job.inspectorId
            ? `relinked you from inspector ${previous.inspectorId} to ${job.inspectorId}`
            : 'changed your soft-phones: the one your session used is no longer allowed',
        ),
      )
    : undefined;
  const taken = await endIf(
    deps,
    job.inspectorId,
    (s) => s.teamId === target.teamId && s.userId !== target.userId,
    cause(`linked inspector ${job.inspectorId} to another Slack user`),
  );
  const [first, ...more] = phones;
  const linked = first
    ? `(phone ${first}${more.length ? `; also allowed: ${more.join(', ')}` : ''}). They can now /qc signin.`
    : '(no phone: they cannot sign in until you set one with `/qc link` again).';
  await tell(
    `Linked <@${job.targetUserId}> to inspector ${job.inspectorId} ${linked}${endedWords(own, `Their session as inspector ${previous?.inspectorId}`)}${taken ? endedWords(taken, `The session of <@${taken.userId}> as inspector ${job.inspectorId}`) : ''}`,
  );
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

/** `/qc unlink @user` (admins only): the link goes, and with it the user's gateway session. */
export async function unlinkUser(deps: QcDeps & QcPolicy, job: JobOf<'unlink'>): Promise<string> {
  const { store } = deps;
  const tell = (text: string) => deps.notifier.tell(job.slack, { kind: 'text', text });
  if (!deps.adminUserIds.has(job.slack.userId)) {
    await tell('Only qc-slack admins can unlink users (QC_ADMIN_USER_IDS). Ask your platform team.');
    return 'not-admin';
  }
  const target: Requester = { teamId: job.slack.teamId, userId: job.targetUserId };
  const old = await store.deleteLink(target.teamId, target.userId);
  if (!old) {
    await tell(`<@${job.targetUserId}> was not linked.`);
    return 'not-linked';
  }
  const ended = await endIf(deps, old.inspectorId, (s) => ownsSession(s, target), {
    teamId: target.teamId,
    adminId: job.slack.userId,
    what: `unlinked you from inspector ${old.inspectorId}`,
    reason: 'unlinked by an admin',
  });
  await tell(
    `Unlinked <@${job.targetUserId}> from inspector ${old.inspectorId}.${endedWords(ended, 'Their gateway session')}`,
  );
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

type Ended = GatewaySignOut & { userId: string };

/** End the inspector's live session when `whose` says the link change leaves it without its user. */
async function endIf(
  deps: QcDeps,
  inspectorId: string,
  whose: (s: SessionRecord) => boolean,
  cause: EndCause,
): Promise<Ended | undefined> {
  const session = await deps.store.getSession(inspectorId);
  if (session?.status !== 'active' || !whose(session)) return undefined;
  const out = await endSessionByAdmin(deps, session, cause);
  return out ? { ...out, userId: session.userId } : undefined;
}

/** " Their gateway session was ended (signed out at the gateway); they were told by DM." or "". */
function endedWords(ended: Ended | undefined, subject: string): string {
  return ended ? ` ${subject} was ended${outcomeWords(ended)}; they were told by DM.` : '';
}

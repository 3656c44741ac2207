import { rangeDays } from '../audit/report';
import type { Job } from '../queue/jobs';
import { applyChange, effectivePermissions, isPermission } from './permissions';
import type { QcDeps, QcPolicy } from './ports';

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
  const records = await deps.store.listMonitoring(job.slack.teamId, job.agentId);
  const rows = await Promise.all(
    records.map(async (m) => {
      const session = await deps.store.getSession(m.inspectorId);
      return session?.status === 'active' ? { ...m, userId: session.userId } : undefined;
    }),
  );
  await deps.notifier.tell(job.slack, {
    kind: 'who',
    ...(job.agentId ? { agentId: job.agentId } : {}),
    now: deps.now(),
    rows: rows.filter((r) => r !== undefined),
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
  const own = session?.teamId === teamId ? session : undefined;
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

import { dayOf } from '../store/keys';
import type { AuditEntry, AuditStore } from '../store/types';
import type { AuditArgs } from './args';

/** Who may see which audit rows, over which days. Knows nothing of Slack. */

export const OWN_ROWS_ONLY = 'You can only see your own actions; admins see everyone.';

const DAY_MS = 86_400_000;

/** The UTC days (yyyy-mm-dd) of a range, newest first: today, or today and the 6 days before. */
export function rangeDays(range: AuditArgs['range'], now: number): string[] {
  const count = range === '7d' ? 7 : 1;
  return Array.from({ length: count }, (_, i) => dayOf(now - i * DAY_MS));
}

export async function auditReport(
  deps: { store: AuditStore; now: () => number },
  q: { teamId: string; requesterId: string; isAdmin: boolean; args: AuditArgs },
): Promise<{ entries: AuditEntry[]; scopeNote?: string }> {
  const filter = q.args.filter;
  const userId = filter && 'userId' in filter ? filter.userId : undefined;
  const agentId = filter && 'agentId' in filter ? filter.agentId : undefined;
  if (!q.isAdmin && userId !== undefined && userId !== q.requesterId) {
    return { entries: [], scopeNote: OWN_ROWS_ONLY };
  }
  const onlyUser = q.isAdmin ? userId : q.requesterId;
  const rows = await deps.store.listDays(q.teamId, rangeDays(q.args.range, deps.now()));
  const entries = rows.filter(
    (e) =>
      e.teamId === q.teamId &&
      (onlyUser === undefined || e.userId === onlyUser) &&
      (agentId === undefined || e.agentId === agentId),
  );
  return { entries };
}

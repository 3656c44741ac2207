import { checkAgentId } from '../gateway/agent-id';
import { dayOf } from '../store/keys';
import type { AuditEntry, AuditStore } from '../store/types';

/** `/qc audit`: who may see which audit rows, over which days. Knows nothing of Slack. */

/** What `/qc audit` asks for: a CSV file or a table, over today or 7 days, maybe of one user or agent. */
export type AuditArgs = {
  export: boolean;
  range: 'today' | '7d';
  filter?: { userId: string } | { agentId: string };
};

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

/** A user in a job's audit words, as the Slack function writes it (`<@U123ABC>`, no label). */
const JOB_USER = /^<@([UW][A-Z0-9_]{2,20})>$/;

/**
 * The audit words of a queued job, as the Slack function wrote them from what it parsed:
 * `export`, `today` or `7d`, an agent ID, a user as `<@U123ABC>`, each at most once. The queue is not
 * trusted: anything else is refused, naming the first word that does not fit.
 */
export function readAuditWords(
  words: readonly string[],
  maxAgentId: number,
): { ok: true; args: AuditArgs } | { ok: false; word: string } {
  const args: AuditArgs = { export: false, range: 'today' };
  let range = false;
  for (const word of words) {
    const user = JOB_USER.exec(word)?.[1];
    const agent = /^[0-9]+$/.test(word) ? checkAgentId(word, maxAgentId) : undefined;
    if (word === 'export' && !args.export) args.export = true;
    else if ((word === 'today' || word === '7d') && !range) {
      args.range = word;
      range = true;
    } else if (user && !args.filter) args.filter = { userId: user };
    else if (agent?.ok && !args.filter) args.filter = { agentId: agent.id };
    else return { ok: false, word };
  }
  return { ok: true, args };
}

import type { Job } from '../queue/jobs';
import { auditReport, readAuditWords } from './audit';
import { auditCsv, auditFilename } from './audit-csv';
import type { QcDeps, QcPolicy } from './ports';

type AuditJob = Extract<Job, { kind: 'audit' }>;

/**
 * `/qc audit [export] [@user|agent] [today|7d]`: admins see everyone, others their own actions.
 * The table answers ephemerally; `export` sends a CSV file to the requester's DM.
 */
export async function runAudit(
  deps: QcDeps & QcPolicy & { maxAgentId?: number },
  job: AuditJob,
): Promise<string> {
  const parsed = readAuditWords(job.words, deps.maxAgentId ?? 999_999);
  if (!parsed.ok) {
    await deps.notifier.tell(job.slack, { kind: 'audit-unreadable', word: parsed.word });
    return 'usage';
  }
  const args = parsed.args;
  const report = await auditReport(deps, {
    teamId: job.slack.teamId,
    requesterId: job.slack.userId,
    isAdmin: deps.adminUserIds.has(job.slack.userId),
    args,
  });
  if (!args.export) {
    await deps.notifier.tell(job.slack, {
      kind: 'audit',
      entries: report.entries,
      range: args.range,
      ...(report.scopeNote ? { scopeNote: report.scopeNote } : {}),
    });
    return `rows:${report.entries.length}`;
  }
  const now = deps.now();
  await deps.notifier.sendFile(job.slack, {
    filename: auditFilename(job.slack.teamId, args.range, now),
    title: `qc-slack audit (${args.range === '7d' ? 'last 7 days' : 'today'})`,
    content: auditCsv(report.entries),
    comment: `Your qc-slack audit export: ${report.entries.length} action${report.entries.length === 1 ? '' : 's'}.${report.scopeNote ? ` ${report.scopeNote}` : ''}`,
  });
  return `export:${report.entries.length}`;
}

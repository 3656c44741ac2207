import type { AuditEntry } from '../../src/store/types';

/** 09:05 UTC on 2026-11-25: when the sample audit entry happened. */
export const AT = Date.parse('2026-11-25T09:05:00.000Z');

/** One audit row with every field set (an intercept of agent 2005), changed by `over`. */
export const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  teamId: 'T1',
  userId: 'U0ALICE',
  inspectorId: '1001',
  agentId: '2005',
  operation: 'intercept',
  outcome: '0',
  latencyMs: 412,
  channel: 'C_QC',
  messageTs: '1764061500.000100',
  at: AT,
  ...over,
});

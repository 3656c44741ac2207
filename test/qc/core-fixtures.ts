import type { QcOperation, SlackContext } from '../../src/qc/model';
import type { QcOutcome } from '../../src/qc/outcome';
import { DEFAULT_PERMISSIONS } from '../../src/qc/permissions';
import type { QcDeps, QcPolicy } from '../../src/qc/ports';
import type { Job } from '../../src/queue/jobs';
import { outcomeMessage } from '../../src/slack/blocks/qc-outcome';
import type { MonitoringRecord, SessionRecord } from '../../src/store/types';
import { FakeGateway } from '../helpers/fake-gateway';
import { captureLogger } from '../helpers/log-capture';
import { MemoryStore } from '../helpers/memory-store';
import { RecordingNotifier } from '../helpers/recording-notifier';

/** The inspector, the Slack user, and the agent every row acts on; OTHER is another agent. */
export const INSPECTOR = '1001';
export const USER = 'U1';
export const TEAM = 'T1';
export const AGENT = '2005';
export const OTHER = '2009';
export const T0 = 1_800_000_000_000;

/** Where the inspector is before the request. `cleared`: a record is kept (its threads), monitoring nobody. */
export const STATES = ['none', 'cleared', 'listen', 'insert', 'whisper', 'intercept', 'other'] as const;
export type State = (typeof STATES)[number];

export function monitoringIn(state: State): MonitoringRecord | undefined {
  const base = { inspectorId: INSPECTOR, teamId: TEAM, version: 3, confirmed: true, busySeen: true };
  const ops = [{ op: 'listen', at: T0 - 60_000, thread: { channel: 'C1', ts: 'old-1' }, expects: [] }];
  switch (state) {
    case 'none':
      return undefined;
    case 'cleared':
      return { ...base, confirmed: false, busySeen: false, ops };
    case 'other':
      return { ...base, agentId: OTHER, mode: 'listen', since: T0 - 60_000, ops };
    default:
      return { ...base, agentId: AGENT, mode: state, since: T0 - 60_000, ops };
  }
}

export const slack: SlackContext = { teamId: TEAM, userId: USER, channelId: 'C1' };

export function session(extra: Partial<SessionRecord> = {}): SessionRecord {
  return {
    inspectorId: INSPECTOR,
    sessionId: 'sess-1',
    teamId: TEAM,
    userId: USER,
    guid: 'guid-1',
    mode: 'poll',
    status: 'active',
    signedInAt: T0 - 3_600_000,
    guidUpdatedAt: T0 - 3_600_000,
    version: 1,
    eventSeq: 0,
    ...extra,
  };
}

export type QcJob = Extract<Job, { kind: 'qc' }>;

export function qcJob(op: QcOperation, extra: Partial<QcJob> = {}): QcJob {
  return {
    v: 1,
    kind: 'qc',
    op,
    agentId: AGENT,
    inspectorId: INSPECTOR,
    requestId: `req-${op}`,
    slack,
    requestedAt: T0,
    ...extra,
  };
}

/** A linked, signed-in inspector in `state`, over in-memory fakes; the clock stands still at T0. */
export function world(state: State = 'none', permissions?: string[]) {
  const store = new MemoryStore();
  const gateway = new FakeGateway();
  const notifier = new RecordingNotifier();
  const logger = captureLogger();
  store.links.set(`${TEAM}/${USER}`, {
    teamId: TEAM,
    userId: USER,
    inspectorId: INSPECTOR,
    linkedBy: 'U_ADMIN',
    linkedAt: T0 - 86_400_000,
    ...(permissions ? { permissions } : {}),
  });
  store.sessions.set(INSPECTOR, session());
  const m = monitoringIn(state);
  if (m) store.monitoring.set(INSPECTOR, m);
  const policy: QcPolicy = { adminUserIds: new Set(['U_ADMIN']), defaultPermissions: DEFAULT_PERMISSIONS };
  const deps: QcDeps & QcPolicy = { store, gateway, notifier, logger, now: () => T0, ...policy };
  return { store, gateway, notifier, logger, deps };
}

/** What the requester sees for an outcome: the message's text and its buttons' labels. */
export function seen(outcome: QcOutcome): { text: string; buttons: string[]; inChannel: boolean } {
  const msg = outcomeMessage(outcome, USER);
  return { text: msg.text, buttons: buttonsOf(msg.blocks), inChannel: msg.inChannel };
}

/** Every button's label in a message's blocks (whatever the block types), in order. */
export function buttonsOf(blocks: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (o.type === 'button') found.push(String((o.text as { text?: unknown } | undefined)?.text));
      else Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return found;
}

import { describe, expect, it } from 'vitest';
import type { QcOperation } from '../../src/qc/model';
import { runQc } from '../../src/qc/run-qc';
import type { AlertRecord } from '../../src/store/types';
import { OK, refusedWith, timeoutMayHaveApplied } from '../helpers/fake-gateway';
import { AGENT, INSPECTOR, qcJob, type State, slack, T0, USER, world } from './core-fixtures';

/**
 * A button clicked on a monitoring alert: the alert is re-checked server side, only one inspector may
 * take its call over, the result goes in the alert's thread and the alert shows who does what.
 */
function alert(extra: Partial<AlertRecord> = {}): AlertRecord {
  return {
    alertId: 'A1',
    channel: 'C1',
    ts: 'alert-ts',
    agentId: AGENT,
    reason: 'long call',
    severity: 'warning',
    createdAt: T0 - 1_000,
    participants: {},
    version: 1,
    ...extra,
  };
}
const byU2 = { interceptedBy: { userId: 'U2', inspectorId: '1002', at: T0 - 500 } };

type Row = [
  name: string,
  op: QcOperation,
  state: State,
  alert: AlertRecord,
  extra: { agentId?: string; channelId?: string },
  expected: { calls: string[]; kind: string; interceptedBy?: string; thread?: string; participant?: string },
];
const ROWS: Row[] = [
  [
    'listen from the alert',
    'listen',
    'none',
    alert(),
    {},
    { calls: ['qc(listen, 2005)'], kind: 'gateway', thread: 'alert-ts', participant: 'listen' },
  ],
  [
    'a click naming another agent',
    'listen',
    'none',
    alert(),
    { agentId: '2009' },
    { calls: [], kind: 'alert-gone' },
  ],
  [
    'a click from another channel',
    'listen',
    'none',
    alert(),
    { channelId: 'C2' },
    { calls: [], kind: 'alert-gone' },
  ],
  [
    'intercept claims the call',
    'intercept',
    'listen',
    alert(),
    {},
    {
      calls: ['intercept(2005)'],
      kind: 'gateway',
      interceptedBy: USER,
      thread: 'alert-ts',
      participant: 'intercept',
    },
  ],
  [
    'intercept after another inspector took it',
    'intercept',
    'listen',
    alert(byU2),
    {},
    { calls: [], kind: 'already-intercepted', interceptedBy: 'U2' },
  ],
  [
    'listen after another inspector took it',
    'listen',
    'none',
    alert(byU2),
    {},
    { calls: [], kind: 'already-intercepted', interceptedBy: 'U2' },
  ],
  [
    'stop still works after another took it',
    'stop',
    'listen',
    alert(byU2),
    {},
    { calls: ['cancelMonitor(2005)'], kind: 'gateway', interceptedBy: 'U2', thread: 'alert-ts' },
  ],
  [
    'a deleted alert message: the result goes to the channel',
    'listen',
    'none',
    alert({ messageGone: true }),
    {},
    { calls: ['qc(listen, 2005)'], kind: 'gateway', thread: 'ts-1', participant: 'listen' },
  ],
];

describe('a click on a monitoring alert', () => {
  it.each(ROWS)('%s', async (_name, op, state, a, extra, expected) => {
    const { store, gateway, notifier, deps } = world(state);
    store.alerts.rows.set(a.alertId, a);
    const job = qcJob(op, {
      alertId: 'A1',
      agentId: extra.agentId ?? AGENT,
      slack: { ...slack, channelId: extra.channelId ?? 'C1' },
    });
    const outcome = await runQc(deps, job);
    expect(gateway.made()).toEqual(expected.calls);
    expect(outcome.kind).toBe(expected.kind);
    const saved = store.alerts.rows.get('A1');
    expect(saved?.interceptedBy?.userId).toBe(expected.interceptedBy);
    expect(saved?.participants[USER]?.mode).toBe(expected.participant);
    if (expected.thread)
      expect(store.monitoring.get(INSPECTOR)?.ops?.at(-1)?.thread?.ts).toBe(expected.thread);
    // The alert message is redrawn after every call that reached the gateway (unless it is gone).
    expect(notifier.alerts.length).toBe(expected.calls.length > 0 && !a.messageGone ? 1 : 0);
  });

  it.each([
    ['refused', refusedWith('900-005')],
    ['no answer', timeoutMayHaveApplied()],
  ])('a failed intercept (%s) frees the call for the others', async (_name, answer) => {
    const { store, gateway, deps } = world('listen');
    store.alerts.rows.set('A1', alert());
    gateway.fallback = answer;
    await runQc(deps, qcJob('intercept', { alertId: 'A1' }));
    const saved = store.alerts.rows.get('A1');
    expect(saved?.interceptedBy).toBeUndefined();
    expect(saved?.last).toMatchObject({ userId: USER, op: 'intercept', ok: false });
  });

  it('the alert shows the last result as the audit words it', async () => {
    const { store, gateway, deps } = world('listen');
    store.alerts.rows.set('A1', alert());
    gateway.fallback = OK;
    await runQc(deps, qcJob('intercept', { alertId: 'A1' }));
    expect(store.alerts.rows.get('A1')?.last).toEqual({
      userId: USER,
      op: 'intercept',
      retcode: '0',
      ok: true,
      at: T0,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { GatewayConnectionError } from '../../src/gateway';
import { runQc } from '../../src/qc/run-qc';
import { runRelease } from '../../src/qc/run-release';
import { OK, refusedWith, timeoutMayHaveApplied, timeoutNotApplied } from '../helpers/fake-gateway';
import type { MemoryStore } from '../helpers/memory-store';
import { AGENT, INSPECTOR, qcJob, seen, slack, T0, world } from './core-fixtures';

/**
 * After the gateway answered: the monitoring state is written on top of whatever the keeper wrote
 * meanwhile (versioned), a "session unknown" answer is confirmed before the session ends, and
 * release-call touches no monitoring state.
 */

/** The keeper writes the record (its events) just before our write number `n` (1-based), `times` times. */
function keeperWritesBefore(store: MemoryStore, n: number, times = 1) {
  let writes = 0;
  let done = 0;
  store.beforePutMonitoring = (id) => {
    writes++;
    if (writes < n || done >= times) return;
    done++;
    const m = store.monitoring.get(id);
    if (m)
      store.monitoring.set(id, {
        ...m,
        version: m.version + 1,
        eventsUpTo: { sessionId: 'sess-1', seq: done },
      });
  };
}

describe('settling the monitoring state', () => {
  it('the keeper wrote between "awaiting" and the settle: both changes are kept', async () => {
    const { store, deps } = world('listen');
    keeperWritesBefore(store, 2);
    await runQc(deps, qcJob('insert'));
    const m = store.monitoring.get(INSPECTOR);
    expect(m).toMatchObject({ agentId: AGENT, mode: 'insert', eventsUpTo: { seq: 1 } });
    expect(m?.awaitingThreadSince).toBeUndefined();
  });

  it('the keeper wrote before "awaiting": that one attempt is given up, the settle still lands', async () => {
    const { store, gateway, deps } = world('none');
    keeperWritesBefore(store, 1);
    await runQc(deps, qcJob('listen'));
    expect(gateway.made()).toEqual(['qc(listen, 2005)']);
    expect(store.monitoring.get(INSPECTOR)).toMatchObject({ agentId: AGENT, mode: 'listen' });
  });

  it('it keeps changing: the state is left as the events say, logged, and the result still shown', async () => {
    const { store, notifier, logger, deps } = world('none');
    keeperWritesBefore(store, 2, 99);
    const outcome = await runQc(deps, qcJob('listen'));
    expect(outcome).toMatchObject({ kind: 'gateway', ok: true });
    expect(notifier.reports).toHaveLength(1);
    expect(logger.text()).toMatch(/monitoring state kept changing; left as the events say/);
    expect(store.audits).toHaveLength(1);
  });

  it('a result shown to the requester alone: its events go to the DM (no thread)', async () => {
    const { store, notifier, deps } = world('none');
    notifier.report = async () => null;
    await runQc(deps, qcJob('listen'));
    const last = store.monitoring.get(INSPECTOR)?.ops?.at(-1);
    expect(last).toMatchObject({ op: 'listen', at: T0, agentId: AGENT, mode: 'listen' });
    expect(last?.thread).toBeUndefined();
  });
});

describe('a "session unknown" answer is confirmed before the session ends', () => {
  it.each([
    [
      'the status read says so too',
      refusedWith('100-006'),
      'ended',
      /^❌ .*Retcode 100-006: Your gateway session expired/,
      ['Sign in'],
    ],
    [
      'the status read succeeds',
      OK,
      'active',
      /but it answered the next check: your session is still alive\./,
      [],
    ],
    [
      'the status read fails',
      { throws: new GatewayConnectionError('getAgentStatus', 'refused') },
      'active',
      /qc-slack could not check it just now\. If the session is gone, you will get a direct message\./,
      [],
    ],
    [
      'the status read says something else',
      refusedWith('900-003'),
      'active',
      /could not check it just now/,
      [],
    ],
  ] as const)('%s → session %s', async (_name, status, sessionAfter, text, buttons) => {
    const { store, gateway, deps } = world('listen');
    gateway.answers.intercept = refusedWith('100-006');
    gateway.answers.agentStatus = status;
    const outcome = await runQc(deps, qcJob('intercept'));
    expect(gateway.made()).toEqual(['intercept(2005)', 'agentStatus()']);
    expect(store.sessions.get(INSPECTOR)?.status).toBe(sessionAfter);
    expect(seen(outcome).text).toMatch(text);
    expect(seen(outcome).buttons).toEqual(buttons);
  });
});

describe('release-call: the permission, a session, one call, no monitoring state', () => {
  const job = {
    v: 1 as const,
    kind: 'release-call' as const,
    callId: '1800000000-2005',
    inspectorId: INSPECTOR,
    requestId: 'rel-1',
    slack,
    requestedAt: T0,
  };
  const WHO = '<@U1> (inspector 1001)';
  it.each([
    ['retcode 0', OK, `✅ ${WHO} — Released call 1800000000-2005. Retcode 0: done.`, '0'],
    [
      'refused 200-001',
      refusedWith('200-001'),
      `❌ ${WHO} could not release call 1800000000-2005. Retcode 200-001:`,
      '200-001',
    ],
    [
      'timeout after sending',
      timeoutMayHaveApplied(),
      '⚠️ <@U1> — release call 1800000000-2005: The gateway did not answer within 5 s. It may have happened anyway',
      'transport:timeout',
    ],
    [
      'no connection',
      timeoutNotApplied(),
      '⚠️ <@U1> — release call 1800000000-2005: The gateway could not be reached within 3 s. Try again',
      'transport:timeout',
    ],
  ] as const)('%s', async (_name, answer, text, audit) => {
    const { store, gateway, deps } = world('listen', ['release']);
    gateway.fallback = answer;
    const outcome = await runRelease(deps, job);
    expect(gateway.made()).toEqual(['forceReleaseCall(1800000000-2005)']);
    expect(seen(outcome).text.startsWith(text)).toBe(true);
    expect(store.monitoringWrites).toEqual([]);
    expect(store.audits).toEqual([
      expect.objectContaining({ operation: 'release-call', agentId: job.callId, outcome: audit }),
    ]);
  });

  it('without the "release" permission nothing is sent', async () => {
    const { store, gateway, deps } = world('listen');
    const outcome = await runRelease(deps, job);
    expect(outcome.kind).toBe('not-allowed');
    expect(gateway.made()).toEqual([]);
    expect(store.audits).toEqual([expect.objectContaining({ outcome: 'refused:not-allowed' })]);
  });
});

describe('a stale record (events were missed: we think the inspector listens, the gateway does not)', () => {
  // Stop is refused by the gateway (900-005, "not monitoring" in the simulator): the record only
  // remembered missed events, so it is cleared; kept, it would refuse every next request as
  // "monitoring 2005: stop that first" until an event cleared it.
  it('stop refused as "not monitoring" still lets the inspector start on another agent', async () => {
    const { gateway, deps } = world('listen');
    gateway.answers.cancelMonitor = refusedWith('900-005');
    await runQc(deps, qcJob('stop'));
    const next = await runQc(deps, qcJob('listen', { agentId: '2009', requestId: 'r2' }));
    expect(gateway.made()).toEqual(['cancelMonitor(2005)', 'qc(listen, 2009)']);
    expect(next).toMatchObject({ kind: 'gateway', ok: true });
  });
});

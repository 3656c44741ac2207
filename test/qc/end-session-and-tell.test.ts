import { describe, expect, it } from 'vitest';
import { endSessionAndTell } from '../../src/qc/end-session';
import { Keeper } from '../../src/qc/keeper';
import { receivePush } from '../../src/qc/push-events';
import { refusedWith } from '../helpers/fake-gateway';
import { INSPECTOR, session, TEAM, USER, world } from './core-fixtures';

/**
 * A session the gateway ended by itself is ended once, and its user told once by DM — the same way
 * whether the keeper's polls or a push delivery found out.
 */
const ended = (reason: string) => ({
  teamId: TEAM,
  userId: USER,
  notice: { kind: 'session-ended', inspectorId: INSPECTOR, reason },
});

describe('endSessionAndTell', () => {
  it('ends the record and DMs its user, once', async () => {
    const { store, notifier, deps } = world();
    expect(await endSessionAndTell(deps, session(), 'the gateway signed you out')).toBe(true);
    expect(await endSessionAndTell(deps, session(), 'the gateway signed you out')).toBe(false);
    expect(store.sessions.get(INSPECTOR)).toMatchObject({
      status: 'ended',
      endedReason: 'the gateway signed you out',
    });
    expect(notifier.dms).toEqual([ended('the gateway signed you out')]);
  });

  it('a session replaced meanwhile (a new sign-in) is left alone and nobody is told', async () => {
    const { store, notifier, deps } = world();
    store.sessions.set(INSPECTOR, session({ sessionId: 'sess-2' }));
    expect(await endSessionAndTell(deps, session(), 'x')).toBe(false);
    expect(store.sessions.get(INSPECTOR)?.status).toBe('active');
    expect(notifier.dms).toEqual([]);
  });

  it('a DM Slack refuses is logged; the session is ended all the same', async () => {
    const { store, notifier, logger, deps } = world();
    notifier.failDm = true;
    expect(await endSessionAndTell(deps, session(), 'x')).toBe(true);
    expect(store.sessions.get(INSPECTOR)?.status).toBe('ended');
    expect(logger.text()).toMatch(/could not DM about the ended session/);
  });
});

describe('the keeper and the push receiver tell the same way', () => {
  it('the keeper: two "session unknown" polls in a row end the session; one DM', async () => {
    const { store, gateway, notifier, deps } = world();
    gateway.answers.pollEvent = refusedWith('100-006');
    const stop = new AbortController();
    const dm = notifier.dm.bind(notifier);
    notifier.dm = async (...args) => {
      await dm(...args);
      stop.abort();
    };
    await new Keeper(deps, { runMs: 10_000, errorBackoffMs: 1, rescanMs: 10 }).run(stop.signal);
    expect(gateway.made()).toEqual(['pollEvent()', 'pollEvent()']);
    expect(store.sessions.get(INSPECTOR)?.status).toBe('ended');
    expect(notifier.dms).toEqual([ended('the gateway no longer accepts the session (100-006)')]);
  });

  const pushSession = () => session({ mode: 'push', serviceToken: 'tok-1' });
  const shutdown = {
    headers: { service_token: 'tok-1', guid: 'guid-1' },
    body: JSON.stringify({
      workNo: INSPECTOR,
      eventList: [{ eventType: 'AgentOther_ShutdownService', workNo: INSPECTOR, content: {} }],
    }),
  };

  it('a push: the gateway signed the inspector out; one DM, and the delivery is taken', async () => {
    const { store, notifier, deps } = world();
    store.sessions.set(INSPECTOR, pushSession());
    expect((await receivePush(deps, shutdown)).status).toBe(200);
    expect(store.sessions.get(INSPECTOR)?.status).toBe('ended');
    expect(notifier.dms).toEqual([ended('the gateway signed you out')]);
  });

  it('a push whose DM Slack refuses is still taken (200): the session is ended, the gateway need not retry', async () => {
    const { store, notifier, deps } = world();
    store.sessions.set(INSPECTOR, pushSession());
    notifier.failDm = true;
    expect((await receivePush(deps, shutdown)).status).toBe(200);
    expect(store.sessions.get(INSPECTOR)?.status).toBe('ended');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynalite';
import { DynamoStore } from '../../src/store/dynamo';
import { ConflictError, type SessionRecord } from '../../src/store/types';

let db: LocalDynamo;
let store: DynamoStore;
let n = 0;
const fresh = () => `${1100 + ++n}`;

function newSession(inspectorId: string, sessionId = `s-${inspectorId}-${n}`) {
  return {
    inspectorId,
    sessionId,
    teamId: 'T1',
    userId: `U${inspectorId}`,
    guid: 'guid-1',
    mode: 'poll' as const,
    signedInAt: 1,
    guidUpdatedAt: 1,
  };
}

beforeAll(async () => {
  db = await startLocalDynamo();
  store = new DynamoStore({ tableName: db.tableName, client: db.client });
});
afterAll(async () => {
  await db.close();
});

describe('links', () => {
  it('links, reads, refuses a second user for the same inspector, unlinks', async () => {
    await store.putLink({
      teamId: 'T1',
      userId: 'UA',
      inspectorId: '1001',
      phone: '70001',
      linkedBy: 'UADMIN',
      linkedAt: 1,
    });
    expect(await store.getLink('T1', 'UA')).toMatchObject({ inspectorId: '1001', phone: '70001' });
    await expect(
      store.putLink({ teamId: 'T1', userId: 'UB', inspectorId: '1001', linkedBy: 'UADMIN', linkedAt: 2 }),
    ).rejects.toBeInstanceOf(ConflictError);
    // Another team is another world.
    expect(await store.getLink('T2', 'UA')).toBeUndefined();
    await store.putLink({ teamId: 'T2', userId: 'UB', inspectorId: '1001', linkedBy: 'UADMIN', linkedAt: 2 });
    // Relinking UA to another inspector frees 1001 in T1.
    await store.putLink({ teamId: 'T1', userId: 'UA', inspectorId: '1003', linkedBy: 'UADMIN', linkedAt: 3 });
    await store.putLink({ teamId: 'T1', userId: 'UC', inspectorId: '1001', linkedBy: 'UADMIN', linkedAt: 4 });
    expect((await store.deleteLink('T1', 'UC'))?.inspectorId).toBe('1001');
    expect(await store.getLink('T1', 'UC')).toBeUndefined();
    expect(await store.deleteLink('T1', 'UC')).toBeUndefined();
  });
});

describe('sessions', () => {
  it('starts, rotates with a version check, lists, ends (removing the Guid)', async () => {
    const id = fresh();
    const s = await store.startSession(newSession(id));
    expect(s).toMatchObject({ status: 'active', version: 1, eventSeq: 0 });
    const v2 = await store.updateGuid(id, s.sessionId, 1, 'guid-2', 5);
    expect(v2).toBe(2);
    await expect(store.updateGuid(id, s.sessionId, 1, 'guid-stale', 6)).rejects.toBeInstanceOf(ConflictError);
    expect((await store.getSession(id))?.guid).toBe('guid-2');
    expect((await store.listActiveSessions()).map((x) => x.inspectorId)).toContain(id);
    expect(await store.endSession(id, s.sessionId, 'signed out', 7)).toBe(true);
    expect(await store.endSession(id, s.sessionId, 'again', 8)).toBe(false);
    const ended = (await store.getSession(id)) as SessionRecord;
    expect(ended).toMatchObject({ status: 'ended', endedReason: 'signed out' });
    expect(ended.guid).toBeUndefined();
    expect((await store.listActiveSessions()).map((x) => x.inspectorId)).not.toContain(id);
  });

  it('a keeper holding the old generation cannot write over a new sign-in', async () => {
    const id = fresh();
    const old = await store.startSession(newSession(id, 'old'));
    await store.startSession(newSession(id, 'new'));
    await expect(store.updateGuid(id, 'old', old.version, 'x', 1)).rejects.toBeInstanceOf(ConflictError);
    expect(await store.endSession(id, 'old', 'x', 1)).toBe(false);
    expect((await store.getSession(id))?.sessionId).toBe('new');
  });

  it('leases: one owner at a time, taken over after expiry, event sequence only for the owner', async () => {
    const id = fresh();
    const s = await store.startSession(newSession(id));
    expect(await store.acquireLease(id, s.sessionId, 'k1', 1000, 30_000)).toBe(true);
    expect(await store.acquireLease(id, s.sessionId, 'k2', 2000, 30_000)).toBe(false);
    expect(await store.acquireLease(id, s.sessionId, 'k1', 2000, 30_000)).toBe(true);
    expect(await store.nextEventSeq(id, s.sessionId, 'k1')).toBe(1);
    expect(await store.nextEventSeq(id, s.sessionId, 'k1')).toBe(2);
    await expect(store.nextEventSeq(id, s.sessionId, 'k2')).rejects.toBeInstanceOf(ConflictError);
    expect(await store.acquireLease(id, s.sessionId, 'k2', 40_000, 30_000)).toBe(true);
    await store.releaseLease(id, 'k1'); // not the owner any more: no effect
    expect((await store.getSession(id))?.leaseOwner).toBe('k2');
    await store.releaseLease(id, 'k2');
    expect((await store.getSession(id))?.leaseOwner).toBeUndefined();
  });

  it('two keepers racing for one inspector: exactly one wins', async () => {
    const id = fresh();
    const s = await store.startSession(newSession(id));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.acquireLease(id, s.sessionId, `keeper-${i}`, 1000, 30_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('monitoring, idempotency, audit, pending events', () => {
  it('monitoring writes are versioned', async () => {
    const id = fresh();
    const v1 = await store.putMonitoring(
      { inspectorId: id, teamId: 'T1', agentId: '2005', mode: 'listen', since: 1, confirmed: false },
      0,
    );
    await expect(
      store.putMonitoring({ inspectorId: id, teamId: 'T1', confirmed: false }, 0),
    ).rejects.toBeInstanceOf(ConflictError);
    const v2 = await store.putMonitoring(
      { inspectorId: id, teamId: 'T1', agentId: '2005', mode: 'intercept', since: 2, confirmed: true },
      v1,
    );
    expect(v2).toBe(2);
    expect(await store.getMonitoring(id)).toMatchObject({ mode: 'intercept', version: 2 });
  });

  it('a key is claimed once; the second claim sees in-progress, then done with the result', async () => {
    const key = `req-${fresh()}`;
    expect(await store.claim(key, Date.now(), 3600)).toEqual({ state: 'new' });
    expect((await store.claim(key, Date.now(), 3600)).state).toBe('in-progress');
    await store.finish(key, { retcode: '0' });
    expect(await store.claim(key, Date.now(), 3600)).toEqual({ state: 'done', result: { retcode: '0' } });
  });

  it('concurrent claims: exactly one new', async () => {
    const key = `race-${fresh()}`;
    const states = await Promise.all(Array.from({ length: 10 }, () => store.claim(key, Date.now(), 3600)));
    expect(states.filter((s) => s.state === 'new')).toHaveLength(1);
  });

  it('a stale claim is taken over by exactly one caller, and only while it is still in progress', async () => {
    const key = `stale-${fresh()}`;
    const startedAt = Date.now() - 60_000;
    await store.claim(key, startedAt, 3600);
    const now = Date.now();
    const taken = await Promise.all(Array.from({ length: 5 }, () => store.takeOver(key, startedAt, now)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(await store.claim(key, now, 3600)).toEqual({ state: 'in-progress', startedAt: now });
    await store.finish(key, { status: 'stale' });
    expect(await store.takeOver(key, now, Date.now())).toBe(false);
  });

  it('audit rows by team and day', async () => {
    const at = Date.UTC(2026, 10, 25, 10);
    await store.record({
      teamId: 'T9',
      userId: 'U1',
      operation: 'intercept',
      outcome: '0',
      agentId: '2005',
      at,
    });
    await store.record({ teamId: 'T8', userId: 'U1', operation: 'listen', outcome: '0', at });
    const rows = await store.listDay('T9', '2026-11-25');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ operation: 'intercept', agentId: '2005' });
  });

  it('pending events are kept in order until posted, saved once', async () => {
    const id = fresh();
    for (const seq of [2, 1, 1]) {
      await store.savePending({
        inspectorId: id,
        sessionId: 's',
        seq,
        event: { type: `E${seq}`, workNo: id, content: null },
        receivedAt: 1,
      });
    }
    expect((await store.listPending(id, 's')).map((e) => e.seq)).toEqual([1, 2]);
    await store.markPosted(id, 's', 1);
    expect((await store.listPending(id, 's')).map((e) => e.seq)).toEqual([2]);
  });
});

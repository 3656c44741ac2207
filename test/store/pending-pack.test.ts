import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynalite';
import { DynamoStore } from '../../src/store/dynamo';
import type { PendingEvent } from '../../src/store/types';

let db: LocalDynamo;
let store: DynamoStore;
beforeAll(async () => {
  db = await startLocalDynamo();
  store = new DynamoStore({ tableName: db.tableName, client: db.client });
});
afterAll(async () => {
  await db?.close();
});

const ev = (seq: number): PendingEvent => ({
  inspectorId: '1001',
  sessionId: 's',
  seq,
  event: { type: 'AgentEvent_Talking', workNo: '1001', content: { callid: `c-${seq}` } },
  receivedAt: 1_800_000_000_000,
});

describe('pending events of a push, packed', () => {
  it('list in order with single ones; an item goes once its last event is posted; a retried write is the same', async () => {
    await store.savePending(ev(1));
    const many = Array.from({ length: 250 }, (_, i) => ev(i + 2));
    await store.savePendingMany(many);
    await store.savePendingMany(many); // the same write again: nothing new
    const listed = await store.listPending('1001', 's');
    expect(listed.map((e) => e.seq)).toEqual(Array.from({ length: 251 }, (_, i) => i + 1));
    expect(listed[5]?.event.content).toEqual({ callid: 'c-6' });
    // Posted up to seq 150: the single item and the first pack (2…101) go, the second (102…201) stays.
    await store.markPostedMany(listed.slice(0, 150));
    expect((await store.listPending('1001', 's')).map((e) => e.seq)[0]).toBe(102);
    await store.markPostedMany(await store.listPending('1001', 's'));
    expect(await store.listPending('1001', 's')).toEqual([]);
  });

  it('pushed-event keys: noted until a time, then forgotten', async () => {
    await store.notePushed('1002', ['a', 'b'], 2_000);
    expect([...(await store.recentPushed('1002', 1_000))].sort()).toEqual(['a', 'b']);
    expect(await store.recentPushed('1002', 3_000)).toEqual(new Set());
  });

  it('turns: one owner at a time until released or expired', async () => {
    expect(await store.claimTurn('1003', 'flush', 'a', 0, 1_000)).toBe(true);
    expect(await store.claimTurn('1003', 'flush', 'b', 500, 1_000)).toBe(false);
    expect(await store.claimTurn('1003', 'store', 'b', 500, 1_000)).toBe(true);
    expect(await store.claimTurn('1003', 'flush', 'b', 1_500, 1_000)).toBe(true);
    await store.releaseTurn('1003', 'flush', 'a'); // not a's any more: stays b's
    expect(await store.claimTurn('1003', 'flush', 'c', 1_600, 1_000)).toBe(false);
    await store.releaseTurn('1003', 'flush', 'b');
    expect(await store.claimTurn('1003', 'flush', 'c', 1_600, 1_000)).toBe(true);
  });
});

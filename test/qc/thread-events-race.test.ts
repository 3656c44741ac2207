import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynalite';
import type { GatewayClient } from '../../src/gateway/client';
import type { Notifier } from '../../src/qc/ports';
import { flushPendingEvents } from '../../src/qc/thread-events';
import { DynamoStore } from '../../src/store/dynamo';
import type { SessionRecord } from '../../src/store/types';
import { captureLogger } from '../helpers/log-capture';

let db: LocalDynamo;
let store: DynamoStore;
beforeAll(async () => {
  db = await startLocalDynamo();
  store = new DynamoStore({ tableName: db.tableName, client: db.client });
});
afterAll(async () => {
  await db?.close();
});

const session: SessionRecord = {
  inspectorId: '1001',
  sessionId: 's1',
  teamId: 'T',
  userId: 'U1',
  guid: 'g',
  mode: 'poll',
  status: 'active',
  signedInAt: 0,
  guidUpdatedAt: 0,
  version: 1,
  eventSeq: 1,
};

describe('an event read before a QC operation, written after it', () => {
  it('is posted where it belonged, and does not undo the state the operation left', async () => {
    // An event of no operation is pending (a phone hung up); nobody is monitored yet.
    await store.savePending({
      inspectorId: '1001',
      sessionId: 's1',
      seq: 1,
      event: { type: 'AgentOther_PhoneRelease', workNo: '1001', content: null },
      receivedAt: 0,
    });
    const posts: Array<{ thread?: string; lines: string[] }> = [];
    const notifier = {
      // While the keeper posts the line, the worker starts `/qc listen 2005` (marks "awaiting"
      // and sets the target): the keeper's write then conflicts and re-reads this record.
      threadReply: async (target: { thread?: { ts: string } }, lines: string[]) => {
        posts.push({ ...(target.thread ? { thread: target.thread.ts } : {}), lines });
        await store.putMonitoring(
          {
            inspectorId: '1001',
            teamId: 'T',
            agentId: '2005',
            mode: 'listen',
            since: 1,
            confirmed: false,
            awaitingThreadSince: Date.now(),
          },
          0,
        );
        return 'dm-ts';
      },
    } as unknown as Notifier;
    const logs = captureLogger();
    await flushPendingEvents(
      { store, gateway: {} as GatewayClient, notifier, logger: logs, now: Date.now },
      session,
    );
    // The line went to the DM (no thread then)…
    expect(posts).toEqual([{ lines: [expect.stringMatching(/hung up/)] }]);
    // …and the operation's record stands: still listening to 2005, still awaiting its thread,
    // and no folded reply pointing at the DM message.
    const after = await store.getMonitoring('1001');
    expect(after).toMatchObject({ agentId: '2005', mode: 'listen' });
    expect(after?.awaitingThreadSince).toBeDefined();
    expect(after?.ops ?? []).toEqual([]);
    expect(await store.listPending('1001', 's1')).toEqual([]);
  });
});

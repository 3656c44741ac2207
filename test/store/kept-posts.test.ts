/** Kept channel messages (Slack rate limited past a worker's time): kept, listed oldest first, removed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynalite';
import { DynamoStore } from '../../src/store/dynamo';

let db: LocalDynamo;
let store: DynamoStore;
beforeAll(async () => {
  db = await startLocalDynamo();
  store = new DynamoStore({ tableName: db.tableName, client: db.client });
});
afterAll(async () => {
  await db.close();
});

describe('kept posts', () => {
  it('come back oldest first, with their blocks and thread, until removed', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Intercepted &amp; done' } }];
    await store.posts.keep({ id: 'b', at: 2_000, channel: 'C_QC', text: 'second', blocks });
    await store.posts.keep({ id: 'a', at: 1_000, channel: 'C_QC', threadTs: '1.000100', text: 'first' });
    await store.posts.keep({ id: 'c', at: 3_000, channel: 'C_TWO', text: 'third' });
    const listed = await store.posts.list(10);
    expect(listed).toEqual([
      { id: 'a', at: 1_000, channel: 'C_QC', threadTs: '1.000100', text: 'first' },
      { id: 'b', at: 2_000, channel: 'C_QC', text: 'second', blocks },
      { id: 'c', at: 3_000, channel: 'C_TWO', text: 'third' },
    ]);
    expect((await store.posts.list(2)).map((p) => p.id)).toEqual(['a', 'b']);
    await store.posts.remove(listed[0] as (typeof listed)[number]);
    expect((await store.posts.list(10)).map((p) => p.id)).toEqual(['b', 'c']);
  });
});

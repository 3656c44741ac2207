import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynalite';
import { DynamoStore } from '../../src/store/dynamo';
import { keys } from '../../src/store/keys';
import type { AuditEntry } from '../../src/store/types';

let db: LocalDynamo;
let store: DynamoStore;

beforeAll(async () => {
  db = await startLocalDynamo();
  store = new DynamoStore({ tableName: db.tableName, client: db.client });
});
afterAll(async () => {
  await db.close();
});

const at = (day: string, hour: number) => Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00.000Z`);
const row = (teamId: string, when: number, operation = 'listen'): AuditEntry => ({
  teamId,
  userId: 'U1',
  agentId: '2005',
  operation,
  outcome: '0',
  at: when,
});

/** The raw `ttl` attributes of a team's audit partition for one day. */
async function ttls(teamId: string, day: string): Promise<number[]> {
  const res = await db.client.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: keys.audit(teamId, day) } },
    }),
  );
  return (res.Items ?? []).map((i) => Number(i.ttl?.N));
}

describe('audit: listDays', () => {
  it('reads several days in one call, newest first, only that team', async () => {
    await store.record(row('TD1', at('2026-11-23', 9), 'a'));
    await store.record(row('TD1', at('2026-11-25', 8), 'b'));
    await store.record(row('TD1', at('2026-11-25', 17), 'c'));
    await store.record(row('TD1', at('2026-11-24', 23), 'd'));
    await store.record(row('TD1', at('2026-11-20', 12), 'outside'));
    await store.record(row('TD2', at('2026-11-25', 12), 'other team'));
    const rows = await store.listDays('TD1', ['2026-11-25', '2026-11-24', '2026-11-23']);
    expect(rows.map((r) => r.operation)).toEqual(['c', 'b', 'd', 'a']);
    expect(rows[0]).toEqual(row('TD1', at('2026-11-25', 17), 'c'));
    // The order of the days asked for does not matter; a day asked twice is read once.
    const again = await store.listDays('TD1', ['2026-11-23', '2026-11-25', '2026-11-23', '2026-11-24']);
    expect(again.map((r) => r.operation)).toEqual(['c', 'b', 'd', 'a']);
  });

  it('no days, or days with nothing: an empty list', async () => {
    expect(await store.listDays('TD1', [])).toEqual([]);
    expect(await store.listDays('TD1', ['1999-01-01', '1999-01-02'])).toEqual([]);
  });

  it('a day with more rows than one query page still comes back whole', async () => {
    const base = at('2026-10-01', 0);
    const detail = 'x'.repeat(4000);
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => store.record({ ...row('TD3', base + i * 1000), detail })),
    );
    const rows = await store.listDays('TD3', ['2026-10-01']);
    expect(rows).toHaveLength(300);
    expect(rows.every((r, i) => i === 0 || (rows[i - 1] as AuditEntry).at >= r.at)).toBe(true);
  });
});

describe('audit: retention', () => {
  it('ttl = at + AUDIT_RETENTION_DAYS (default 90)', async () => {
    const when = at('2026-11-25', 10);
    await store.record(row('TR1', when));
    expect(await ttls('TR1', '2026-11-25')).toEqual([Math.floor(when / 1000) + 90 * 86_400]);

    const shortLived = new DynamoStore({ tableName: db.tableName, client: db.client, auditRetentionDays: 7 });
    await shortLived.record(row('TR2', when));
    expect(await ttls('TR2', '2026-11-25')).toEqual([Math.floor(when / 1000) + 7 * 86_400]);
  });
});

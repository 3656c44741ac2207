/** Open floors: created, listed per inspector (the keeper's work), changed only at the version read, refreshed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynalite';
import { DynamoStore } from '../../src/store/dynamo';
import type { FloorRecord } from '../../src/store/types';
import { MemoryStore } from '../helpers/memory-store';

let db: LocalDynamo;
beforeAll(async () => {
  db = await startLocalDynamo();
});
afterAll(async () => {
  await db.close();
});

const base = (over: Partial<FloorRecord> = {}): Omit<FloorRecord, 'version'> => ({
  teamId: 'T1',
  floorId: 'D1:1.000100',
  userId: 'U1',
  inspectorId: '1001',
  channel: 'D1',
  ts: '1.000100',
  scope: { kind: 'vdn' },
  page: 0,
  openedAt: 1_000,
  ...over,
});

describe.each([
  ['DynamoDB (dynalite)', () => new DynamoStore({ tableName: db.tableName, client: db.client }).floors],
  ['memory (unit tests)', () => new MemoryStore().floors],
])('floors in %s', (_name, make) => {
  it('a floor is read back; the keeper lists the floors of its inspector only', async () => {
    const floors = make();
    const a = await floors.putFloor(base());
    await floors.putFloor(base({ floorId: 'home:U1', channel: undefined, ts: undefined }));
    await floors.putFloor(
      base({ floorId: 'C9:2.0', inspectorId: '1003', scope: { kind: 'skill', skillId: '2' } }),
    );
    expect(a.version).toBe(1);
    expect(await floors.getFloor('T1', 'D1:1.000100')).toEqual({ ...base(), version: 1 });
    expect((await floors.listFloors('1001')).map((f) => f.floorId).sort()).toEqual([
      'D1:1.000100',
      'home:U1',
    ]);
    expect((await floors.listFloors('1003')).map((f) => f.scope)).toEqual([{ kind: 'skill', skillId: '2' }]);
    expect(await floors.getFloor('T2', 'D1:1.000100')).toBeUndefined();
  });

  it('changes only at the version read: a second writer with the old version writes nothing', async () => {
    const floors = make();
    const rec = await floors.putFloor(base({ floorId: 'D1:3.0' }));
    expect(await floors.updateFloor(rec, { page: 2, pausedAt: 5_000 })).toBe(true);
    expect(await floors.updateFloor(rec, { page: 7 })).toBe(false);
    const now = await floors.getFloor('T1', 'D1:3.0');
    expect(now).toMatchObject({ page: 2, pausedAt: 5_000, version: 2 });
    expect(await floors.updateFloor(now as FloorRecord, { pausedAt: null, openedAt: 9_000 })).toBe(true);
    const refreshed = await floors.getFloor('T1', 'D1:3.0');
    expect(refreshed).toMatchObject({ page: 2, openedAt: 9_000, version: 3 });
    expect(refreshed?.pausedAt).toBeUndefined();
  });

  it('opening again replaces the floor and moves its version on; deleted floors are gone from the list', async () => {
    const floors = make();
    await floors.putFloor(base({ floorId: 'D1:4.0', inspectorId: '1009' }));
    const again = await floors.putFloor(
      base({ floorId: 'D1:4.0', inspectorId: '1009', page: 1, openedAt: 2_000 }),
    );
    expect(again).toMatchObject({ version: 2, page: 1, openedAt: 2_000 });
    await floors.deleteFloor('T1', 'D1:4.0');
    expect(await floors.getFloor('T1', 'D1:4.0')).toBeUndefined();
    expect(await floors.listFloors('1009')).toEqual([]);
  });
});

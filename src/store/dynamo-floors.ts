import { type RecordTable, strip, written } from './dynamo-util';
import { DAY_SECONDS, keys, ttlAfter } from './keys';
import type { FloorRecord, FloorStore } from './types';

/**
 * Open floors (`FLOOR#team#floorId`), versioned, with a sparse index entry per inspector
 * (`gsi1pk = FLOORS#inspector`) so the keeper lists the floors its session keeps in one query.
 * Kept a day after opening (a floor is live 30 minutes; a paused one can be refreshed that long).
 */
export class DynamoFloorStore implements FloorStore {
  constructor(private readonly table: RecordTable) {}

  async putFloor(rec: Omit<FloorRecord, 'version'>): Promise<FloorRecord> {
    const old = await this.getFloor(rec.teamId, rec.floorId);
    const next: FloorRecord = { ...rec, version: (old?.version ?? 0) + 1 };
    await this.table.put({ Item: this.#item(next) });
    return next;
  }

  async getFloor(teamId: string, floorId: string): Promise<FloorRecord | undefined> {
    const res = await this.table.get({ Key: keys.floor(teamId, floorId), ConsistentRead: true });
    return strip<FloorRecord>(res.Item);
  }

  async listFloors(inspectorId: string): Promise<FloorRecord[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.floorsIndex(inspectorId) },
    });
    return items.map((i) => strip<FloorRecord>(i) as FloorRecord);
  }

  async updateFloor(
    rec: FloorRecord,
    change: Partial<Pick<FloorRecord, 'page' | 'openedAt'>> & { pausedAt?: number | null },
  ): Promise<boolean> {
    const { pausedAt, ...rest } = change;
    const next: FloorRecord = { ...rec, ...rest, version: rec.version + 1 };
    if (pausedAt === null) delete next.pausedAt;
    else if (pausedAt !== undefined) next.pausedAt = pausedAt;
    return written(
      this.table.put({
        Item: this.#item(next),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': rec.version },
      }),
    );
  }

  async deleteFloor(teamId: string, floorId: string): Promise<void> {
    await this.table.delete({ Key: keys.floor(teamId, floorId) });
  }

  #item(rec: FloorRecord): Record<string, unknown> {
    return {
      ...keys.floor(rec.teamId, rec.floorId),
      ...rec,
      gsi1pk: keys.floorsIndex(rec.inspectorId),
      gsi1sk: `${rec.teamId}#${rec.floorId}`,
      ttl: ttlAfter(rec.openedAt, DAY_SECONDS),
    };
  }
}

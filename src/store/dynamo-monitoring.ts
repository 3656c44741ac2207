import { orConflict, type RecordTable, strip } from './dynamo-util';
import { DAY_SECONDS, keys, ttlAfter } from './keys';
import type { MonitoringRecord, MonitoringStore } from './types';

/** Whom each inspector monitors (`INSPECTOR#id` / `MONITORING`), versioned; indexed per team meanwhile. */
export class DynamoMonitoringStore implements MonitoringStore {
  constructor(
    private readonly table: RecordTable,
    private readonly now: () => number,
  ) {}

  async getMonitoring(inspectorId: string): Promise<MonitoringRecord | undefined> {
    const res = await this.table.get({ Key: keys.monitoring(inspectorId), ConsistentRead: true });
    return strip<MonitoringRecord>(res.Item);
  }

  async putMonitoring(rec: Omit<MonitoringRecord, 'version'>, expectedVersion: number): Promise<number> {
    const version = expectedVersion + 1;
    const put = this.table.put({
      Item: {
        ...keys.monitoring(rec.inspectorId),
        ...rec,
        // Sparse index of who monitors whom right now (`/qc who`).
        ...(rec.agentId
          ? { gsi1pk: keys.monitoringIndex(rec.teamId), gsi1sk: `${rec.agentId}#${rec.inspectorId}` }
          : {}),
        version,
        ttl: ttlAfter(this.now(), 7 * DAY_SECONDS),
      },
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
      ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
    });
    await orConflict(put, `monitoring state of inspector ${rec.inspectorId}`);
    return version;
  }

  async listMonitoring(teamId: string, agentId?: string): Promise<MonitoringRecord[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: agentId ? 'gsi1pk = :p AND begins_with(gsi1sk, :a)' : 'gsi1pk = :p',
      ExpressionAttributeValues: {
        ':p': keys.monitoringIndex(teamId),
        ...(agentId ? { ':a': `${agentId}#` } : {}),
      },
    });
    return items
      .map((i) => strip<MonitoringRecord>(i) as MonitoringRecord)
      .filter((m) => m.agentId && (!agentId || m.agentId === agentId));
  }
}

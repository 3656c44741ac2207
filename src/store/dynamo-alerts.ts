import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { orConflict, type RecordTable, strip } from './dynamo-util';
import { DAY_SECONDS, keys, ttlAfter } from './keys';
import type { AlertRecord, AlertStore } from './types';

/** Monitoring alerts on the same table (`ALERT#id`), versioned like the monitoring state. */
export class DynamoAlertStore implements AlertStore {
  constructor(
    private readonly table: RecordTable,
    private readonly retentionDays: number,
  ) {}

  async putAlert(rec: Omit<AlertRecord, 'version'>): Promise<void> {
    await this.#write({ ...rec, version: 1 }, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async getAlert(alertId: string): Promise<AlertRecord | undefined> {
    const res = await this.table.get({ Key: keys.alert(alertId), ConsistentRead: true });
    return strip<AlertRecord>(res.Item);
  }

  async saveAlert(rec: AlertRecord): Promise<AlertRecord> {
    const next = { ...rec, version: rec.version + 1 };
    await this.#write(next, {
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': rec.version },
    });
    return next;
  }

  /** Writes `rec` (kept for the retention from its creation) if `condition` holds, else ConflictError. */
  async #write(
    rec: AlertRecord,
    condition: Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<void> {
    const put = this.table.put({
      Item: {
        ...keys.alert(rec.alertId),
        ...rec,
        ttl: ttlAfter(rec.createdAt, this.retentionDays * DAY_SECONDS),
      },
      ...condition,
    });
    await orConflict(put, `alert ${rec.alertId}`);
  }
}

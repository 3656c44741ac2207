import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, strip } from './dynamo-util';
import { DAY_SECONDS, keys, ttlAfter } from './keys';
import { type AlertRecord, type AlertStore, ConflictError } from './types';

/** Monitoring alerts on the same table (`ALERT#id`), versioned like the monitoring state. */
export class DynamoAlertStore implements AlertStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays: number,
  ) {}

  async putAlert(rec: Omit<AlertRecord, 'version'>): Promise<void> {
    await this.#write({ ...rec, version: 1 }, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async getAlert(alertId: string): Promise<AlertRecord | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.alert(alertId), ConsistentRead: true }),
    );
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
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.alert(rec.alertId),
            ...rec,
            ttl: ttlAfter(rec.createdAt, this.retentionDays * DAY_SECONDS),
          },
          ...condition,
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`alert ${rec.alertId}`);
      throw err;
    }
  }
}

import { randomBytes } from 'node:crypto';
import { type RecordTable, strip } from './dynamo-util';
import { DAY_SECONDS, dayOf, keys, ttlAfter } from './keys';
import type { AuditEntry, AuditStore } from './types';

/** The audit trail: one partition per team and UTC day (`AUDIT#team#day`), kept `retentionDays`. */
export class DynamoAuditStore implements AuditStore {
  constructor(
    private readonly table: RecordTable,
    private readonly retentionDays: number,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.table.put({
      Item: {
        pk: keys.audit(entry.teamId, dayOf(entry.at)),
        sk: `${new Date(entry.at).toISOString()}#${randomBytes(4).toString('hex')}`,
        ...entry,
        ttl: ttlAfter(entry.at, this.retentionDays * DAY_SECONDS),
      },
    });
  }

  async listDay(teamId: string, day: string): Promise<AuditEntry[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.audit(teamId, day) },
    });
    return items.map((i) => strip<AuditEntry>(i) as AuditEntry);
  }

  async listDays(teamId: string, days: string[]): Promise<AuditEntry[]> {
    const perDay = await Promise.all([...new Set(days)].map((day) => this.listDay(teamId, day)));
    return perDay.flat().sort((a, b) => b.at - a.at);
  }
}

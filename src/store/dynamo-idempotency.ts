import { type RecordTable, unlessConditionFails, written } from './dynamo-util';
import { keys, ttlAfter } from './keys';
import type { IdempotencyState, IdempotencyStore } from './types';

/** Claims on work that must happen once (`IDEMPOTENCY#key`): in progress, then done with its result. */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly table: RecordTable) {}

  async claim(key: string, now: number, ttlSeconds: number): Promise<IdempotencyState> {
    const claimed = await written(
      this.table.put({
        Item: {
          ...keys.idempotency(key),
          state: 'in-progress',
          startedAt: now,
          ttl: ttlAfter(now, ttlSeconds),
        },
        // An expired claim (TTL deletion is lazy) may be taken again.
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :nowSec',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':nowSec': Math.floor(now / 1000) },
      }),
    );
    if (claimed) return { state: 'new' };
    const res = await this.table.get({ Key: keys.idempotency(key), ConsistentRead: true });
    const item = res.Item ?? {};
    if (item.state === 'done')
      return { state: 'done', result: (item.result as Record<string, unknown>) ?? {} };
    return { state: 'in-progress', startedAt: Number(item.startedAt ?? now) };
  }

  async finish(key: string, result: Record<string, unknown>): Promise<void> {
    await this.table.update({
      Key: keys.idempotency(key),
      UpdateExpression: 'SET #state = :done, #result = :r',
      ExpressionAttributeNames: { '#state': 'state', '#result': 'result' },
      ExpressionAttributeValues: { ':done': 'done', ':r': result },
    });
  }

  takeOver(key: string, startedAt: number, now: number): Promise<boolean> {
    return written(
      this.table.update({
        Key: keys.idempotency(key),
        UpdateExpression: 'SET #started = :now, #takenOver = :old',
        ConditionExpression: '#state = :p AND #started = :old',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#started': 'startedAt',
          '#takenOver': 'takenOverFrom',
        },
        ExpressionAttributeValues: { ':p': 'in-progress', ':old': startedAt, ':now': now },
      }),
    );
  }

  async release(key: string): Promise<void> {
    // Finished meanwhile (or never claimed): there is no in-progress claim to give back.
    await unlessConditionFails(
      this.table.delete({
        Key: keys.idempotency(key),
        ConditionExpression: '#state = :p',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':p': 'in-progress' },
      }),
      undefined,
    );
  }
}

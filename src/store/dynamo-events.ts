import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './dynamo-util';
import { DAY_SECONDS, keys, ttlAfter } from './keys';
import { ConflictError, type PendingEvent } from './types';

/** DynamoDB's BatchWriteItem limit. */
const BATCH = 25;
/** Writes in flight at once for one batch of pushed events (well under a partition's 1,000 WCU/s). */
const PARALLEL = 16;

/** Run `work` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Pushed events' bookkeeping: batched pending writes, deduplication keys, the flush claim. */
export class DynamoEventStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async savePendingMany(events: PendingEvent[]): Promise<void> {
    const puts = events.map((ev) => ({
      PutRequest: {
        Item: {
          ...keys.event(ev.inspectorId, ev.sessionId, ev.seq),
          ...ev,
          ttl: ttlAfter(ev.receivedAt, DAY_SECONDS),
        },
      },
    }));
    await mapLimit(chunks(puts, BATCH), PARALLEL, (batch) => this.#batchWrite(batch));
  }

  async markPostedMany(inspectorId: string, sessionId: string, seqs: number[]): Promise<void> {
    const deletes = seqs.map((seq) => ({ DeleteRequest: { Key: keys.event(inspectorId, sessionId, seq) } }));
    await mapLimit(chunks(deletes, BATCH), PARALLEL, (batch) => this.#batchWrite(batch));
  }

  /** One BatchWriteItem, with its unprocessed items sent again (a few times, backing off). */
  async #batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    let left = requests;
    for (let attempt = 0; left.length > 0; attempt++) {
      if (attempt > 5) throw new Error(`DynamoDB left ${left.length} writes unprocessed`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
      const res = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: left } }));
      left = (res.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined) ?? [];
    }
  }

  async reserveEventSeqs(inspectorId: string, sessionId: string, count: number): Promise<number> {
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.session(inspectorId),
          UpdateExpression: 'SET eventSeq = eventSeq + :n',
          ConditionExpression: 'sessionId = :s AND #st = :active',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':n': count, ':s': sessionId, ':active': 'active' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(res.Attributes?.eventSeq) - count + 1;
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`event sequence of inspector ${inspectorId}`);
      throw err;
    }
  }

  async claimPushed(inspectorId: string, ids: string[], now: number, windowMs: number): Promise<Set<string>> {
    const claimed = await mapLimit(ids, PARALLEL, async (id) => {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...keys.pushed(inspectorId, id),
              until: now + windowMs,
              ttl: ttlAfter(now + windowMs, 0),
            },
            // An expired key (TTL deletion is lazy) is a new event again.
            ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
            ExpressionAttributeNames: { '#until': 'until' },
            ExpressionAttributeValues: { ':now': now },
          }),
        );
        return id;
      } catch (err) {
        if (isConditionFailure(err)) return undefined;
        throw err;
      }
    });
    return new Set(claimed.filter((id): id is string => id !== undefined));
  }

  async releasePushed(inspectorId: string, ids: string[]): Promise<void> {
    const deletes = ids.map((id) => ({ DeleteRequest: { Key: keys.pushed(inspectorId, id) } }));
    await mapLimit(chunks(deletes, BATCH), PARALLEL, (batch) => this.#batchWrite(batch));
  }

  async claimFlush(inspectorId: string, owner: string, now: number, ms: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.flush(inspectorId), owner, until: now + ms, ttl: ttlAfter(now + ms, DAY_SECONDS) },
          ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async releaseFlush(inspectorId: string, owner: string): Promise<void> {
    await this.doc
      .send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.flush(inspectorId),
          ConditionExpression: '#owner = :o',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':o': owner },
        }),
      )
      .catch((err: unknown) => {
        // Expired and taken by another flusher meanwhile: that claim is theirs to release.
        if (!isConditionFailure(err)) throw err;
      });
  }
}

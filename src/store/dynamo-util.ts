import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DeleteCommandInput,
  type DeleteCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  type GetCommandOutput,
  PutCommand,
  type PutCommandInput,
  type PutCommandOutput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  UpdateCommand,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, StoreError, type StoreRecord } from './types';

export const isConditionFailure = (err: unknown): boolean =>
  err instanceof ConditionalCheckFailedException ||
  (err as { name?: string })?.name === 'ConditionalCheckFailedException';

/** An item without its table bookkeeping (keys, index keys, TTL). */
export function strip<T>(item: Record<string, unknown> | undefined, extra: string[] = []): T | undefined {
  if (!item) return undefined;
  const copy: Record<string, unknown> = { ...item };
  for (const k of ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'ttl', ...extra]) delete copy[k];
  return copy as T;
}

/** `write`'s result, or `fallback` when its condition failed; any other failure is thrown. */
export async function unlessConditionFails<T, F>(write: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await write;
  } catch (err) {
    if (isConditionFailure(err)) return fallback;
    throw err;
  }
}

/** True when `write` was made, false when its condition failed; any other failure is thrown. */
export const written = (write: Promise<unknown>): Promise<boolean> =>
  unlessConditionFails(
    write.then(() => true),
    false,
  );

/** `write`'s result; a ConflictError naming `what` when its condition failed. */
export async function orConflict<T>(write: Promise<T>, what: string): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isConditionFailure(err)) throw new ConflictError(what);
    throw err;
  }
}

type Input<T> = Omit<T, 'TableName'>;
export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** DynamoDB's BatchWriteItem limit. */
export const BATCH = 25;

/**
 * One kind of record's view of the table: every request goes through here, so a failure other than a
 * failed condition (which the caller decides about) surfaces as a StoreError naming the operation and
 * the record kind.
 */
export class RecordTable {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly name: string,
    readonly record: StoreRecord,
  ) {}

  /** The same table and client for another kind of record. */
  as(record: StoreRecord): RecordTable {
    return new RecordTable(this.doc, this.name, record);
  }

  get(input: Input<GetCommandInput>): Promise<GetCommandOutput> {
    return this.#send('GetItem', () => this.doc.send(new GetCommand({ ...input, TableName: this.name })));
  }

  put(input: Input<PutCommandInput>): Promise<PutCommandOutput> {
    return this.#send('PutItem', () => this.doc.send(new PutCommand({ ...input, TableName: this.name })));
  }

  update(input: Input<UpdateCommandInput>): Promise<UpdateCommandOutput> {
    return this.#send('UpdateItem', () =>
      this.doc.send(new UpdateCommand({ ...input, TableName: this.name })),
    );
  }

  delete(input: Input<DeleteCommandInput>): Promise<DeleteCommandOutput> {
    return this.#send('DeleteItem', () =>
      this.doc.send(new DeleteCommand({ ...input, TableName: this.name })),
    );
  }

  query(input: Input<QueryCommandInput>): Promise<QueryCommandOutput> {
    return this.#send('Query', () => this.doc.send(new QueryCommand({ ...input, TableName: this.name })));
  }

  /** Every item of a query, following LastEvaluatedKey page by page. */
  async queryAll(input: QueryInput): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.query({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** One BatchWriteItem (at most BATCH requests); unprocessed items are sent again, backing off. */
  async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    let left = requests;
    for (let attempt = 0; left.length > 0; attempt++) {
      if (attempt > 5)
        throw new StoreError('BatchWriteItem', this.record, {
          name: 'UnprocessedItems',
          message: `DynamoDB left ${left.length} writes unprocessed`,
        });
      if (attempt > 0) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
      const res = await this.#send('BatchWriteItem', () =>
        this.doc.send(new BatchWriteCommand({ RequestItems: { [this.name]: left } })),
      );
      left = (res.UnprocessedItems?.[this.name] as Record<string, unknown>[] | undefined) ?? [];
    }
  }

  async #send<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      if (isConditionFailure(err)) throw err;
      throw new StoreError(operation, this.record, err);
    }
  }
}

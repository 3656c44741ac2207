import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynalite';
import { isTransient } from '../../src/runtime/transient';
import { DynamoStore } from '../../src/store/dynamo';
import { HttpLinkReader } from '../../src/store/link-reader';
import { StoreError } from '../../src/store/types';

const GUID = '0f8fad5b-d9cb-469f-a165-70867728950e.AgentGateway1';
const COOKIE = 'AWSALB=sticky-cookie-value-42';

let db: LocalDynamo;
beforeAll(async () => {
  db = await startLocalDynamo();
});
afterAll(async () => {
  await db.close();
});

/** A port nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failure(work: Promise<unknown>): Promise<StoreError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ name: 'StoreError' });
  expect(err).toBeInstanceOf(StoreError);
  const text = `${(err as Error).message} ${(err as Error).stack}`;
  for (const value of [GUID, COOKIE, '2005', 'U-secret-user', 'sess-77']) expect(text).not.toContain(value);
  return err as StoreError;
}

const session = {
  inspectorId: '2005',
  sessionId: 'sess-77',
  teamId: 'T1',
  userId: 'U-secret-user',
  guid: GUID,
  mode: 'poll' as const,
  signedInAt: 1,
  guidUpdatedAt: 1,
};

describe('a DynamoDB failure surfaces as StoreError, naming the operation and the record kind only', () => {
  it('a table that does not exist', async () => {
    const store = new DynamoStore({ tableName: 'no-such-table', client: db.client });
    const start = await failure(store.startSession(session));
    expect(start).toMatchObject({
      operation: 'GetItem',
      record: 'session',
      code: 'ResourceNotFoundException',
    });
    expect(start.message).toBe('DynamoDB GetItem of a session record failed (ResourceNotFoundException)');
    expect(await failure(store.updateCookie('2005', 'sess-77', COOKIE))).toMatchObject({
      operation: 'UpdateItem',
      record: 'session',
    });
    expect(await failure(store.updateGuid('2005', 'sess-77', 1, GUID, 2))).toMatchObject({
      operation: 'UpdateItem',
    });
    expect(
      await failure(
        store.putLink({
          teamId: 'T1',
          userId: 'U-secret-user',
          inspectorId: '2005',
          linkedBy: 'U',
          linkedAt: 1,
        }),
      ),
    ).toMatchObject({ operation: 'PutItem', record: 'link' });
    const pending = { inspectorId: '2005', sessionId: 'sess-77', receivedAt: 1 };
    const event = { type: 'AgentState_Busy', workNo: '2005', content: { guid: GUID } };
    expect(await failure(store.savePendingMany([{ ...pending, seq: 1, event }]))).toMatchObject({
      operation: 'BatchWriteItem',
      record: 'event',
    });
    expect(await failure(store.listActiveSessions())).toMatchObject({ operation: 'Query' });
    expect(await failure(store.alerts.getAlert('a1'))).toMatchObject({ record: 'alert' });
    expect(await failure(store.posts.list(5))).toMatchObject({ record: 'kept-post' });
  });

  it('a closed port: the network code, and a retry decision that still sees through it', async () => {
    const store = new DynamoStore({
      tableName: db.tableName,
      clientConfig: {
        endpoint: `http://127.0.0.1:${await closedPort()}`,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      },
    });
    const err = await failure(store.updateGuid('2005', 'sess-77', 1, GUID, 2));
    expect(err).toMatchObject({ operation: 'UpdateItem', record: 'session', code: 'ECONNREFUSED' });
    expect(isTransient(err)).toBe(true);
  });

  it("the ack path's link reader too: a missing table, a closed port", async () => {
    const reader = (endpoint: string, tableName: string) =>
      new HttpLinkReader({
        tableName,
        region: 'local',
        endpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
    const missing = reader(db.endpoint, 'no-such-table');
    expect(await failure(missing.getLink('T1', 'U-secret-user'))).toMatchObject({
      operation: 'GetItem',
      record: 'link',
      code: 'ResourceNotFoundException',
    });
    expect(await failure(missing.sessionOf({ teamId: 'T1', userId: 'U-secret-user' }, '2005'))).toMatchObject(
      {
        record: 'session',
      },
    );
    const closed = await failure(
      reader(`http://127.0.0.1:${await closedPort()}`, db.tableName).getLink('T1', 'U1'),
    );
    expect(closed).toMatchObject({ operation: 'GetItem', record: 'link', code: 'ECONNREFUSED' });
    expect(isTransient(closed)).toBe(true);
  });

  it('a retry decision sees the DynamoDB failure inside: throttling and 5xx retry, a bad request does not', () => {
    const aws = (name: string, status: number, extra: object = {}) =>
      Object.assign(new Error(`${name}: ${GUID}`), { name, $metadata: { httpStatusCode: status }, ...extra });
    expect(isTransient(new StoreError('PutItem', 'session', aws('ThrottlingException', 400)))).toBe(true);
    expect(isTransient(new StoreError('PutItem', 'session', aws('InternalServerError', 500)))).toBe(true);
    expect(isTransient(new StoreError('Query', 'audit', aws('SomethingNew', 503)))).toBe(true);
    expect(isTransient(new StoreError('PutItem', 'session', aws('ValidationException', 400)))).toBe(false);
    expect(new StoreError('PutItem', 'session', aws('ValidationException', 400)).message).not.toContain(GUID);
  });

  it('a failed condition is still a ConflictError or a false, not a StoreError', async () => {
    const store = new DynamoStore({ tableName: db.tableName, client: db.client });
    expect(await store.updateCookie('9999', 'nobody', COOKIE)).toBe(false);
    await expect(store.updateGuid('9999', 'nobody', 1, GUID, 2)).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });
});

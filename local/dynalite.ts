import { chmod, mkdir, readdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ensureTable } from '../src/store/table';

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  tableName: string;
  close(): Promise<void>;
}

/** Owner only: the table holds live Guids and service tokens. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** `dir` and everything in it, owner only (files an older version left world-readable included). */
async function restrictTree(dir: string): Promise<void> {
  await chmod(dir, DIR_MODE);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    await chmod(full, entry.isDirectory() ? DIR_MODE : FILE_MODE);
  }
}

/**
 * Prepares `--data-dir`: created (or tightened) 0700 with its files 0600, and the process umask set to
 * 077 so the files LevelDB creates later (logs, tables, manifests) are 0600 too. The local stack is
 * a developer's process of its own; nothing else it writes needs to be readable by other users.
 */
async function prepareDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  await restrictTree(dir);
  process.umask(0o077);
}

/**
 * An embedded DynamoDB (dynalite: the real DynamoDB API over HTTP, LevelDB or memory underneath)
 * with the app's table created. `path` keeps data on disk between runs, readable by its owner only.
 */
export async function startLocalDynamo(
  opts: { tableName?: string; path?: string; port?: number } = {},
): Promise<LocalDynamo> {
  if (opts.path) await prepareDataDir(opts.path);
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(opts.path ? { path: opts.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
  const tableName = opts.tableName ?? 'qc-slack-local';
  await ensureTable(client, tableName);
  return {
    endpoint,
    client,
    tableName,
    close: async () => {
      // The server first: it lets requests in flight finish before dynalite closes LevelDB. Destroying
      // the client first cut them off mid-request, and dynalite then wrote an index to a closed database
      // (an uncaught "Database is closed", seen once with both CPUs busy).
      await new Promise<void>((resolve) => server.close(() => resolve()));
      client.destroy();
    },
  };
}

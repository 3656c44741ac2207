/**
 * `npm test` prints no AWS SDK NodeVersionSupportWarning (this machine class runs Node 20; the SDK
 * nags about Node < 22 once per process). `npm start` and .ci/run silence it with the SDK's own switch;
 * vitest.config.ts sets the same switch for the test workers and every child process they spawn.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const WARNING = /NodeVersionSupportWarning/;

describe('the AWS SDK Node version warning', () => {
  it('is not emitted in a test worker', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const client = new DynamoDBClient({
        region: 'local',
        endpoint: 'http://127.0.0.1:9',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
        maxAttempts: 1,
      });
      await client.send(new ListTablesCommand({})).catch(() => undefined); // port 9: refused, as intended
      client.destroy();
      await new Promise((resolve) => setImmediate(resolve)); // process.emitWarning fires on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => WARNING.test(w))).toEqual([]);
  });

  it('is not printed by a child process a test spawns with the test environment', async () => {
    const script = `
      const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
      new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }).destroy();
      await new Promise((resolve) => setImmediate(resolve));
      console.log('sdk loaded');`;
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: process.env,
    });
    expect(stdout).toContain('sdk loaded');
    expect(stderr).not.toMatch(WARNING);
  });
});

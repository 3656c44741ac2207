/**
 * `npm start --data-dir DIR` keeps the table on disk, and the table holds live Guids and service
 * tokens: the directory is 0700 and every file under it 0600, also after a sign-in has written them.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useLocalStack } from '../e2e/support';

const root = await mkdtemp(path.join(tmpdir(), 'qc-slack-data-dir-'));
const dataDir = path.join(root, 'data');
// A data directory left by an older version, with the modes it made then.
await mkdir(dataDir, { mode: 0o755 });
await writeFile(path.join(dataDir, 'notes.txt'), 'an older run\n', { mode: 0o644 });

const env = useLocalStack({ dataDir, console: false });
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function modes(dir: string): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [[dir, ((await stat(dir)).mode & 0o777).toString(8)]];
  for (const entry of await readdir(dir, { recursive: true })) {
    const full = path.join(dir, entry);
    out.push([path.relative(dir, full), ((await stat(full)).mode & 0o777).toString(8)]);
  }
  return out;
}

describe('--data-dir', () => {
  it('is 0700 and every file in it 0600 after a sign-in (a live Guid on disk)', async () => {
    await env.signIn('U_DEMO', '1001');
    expect((await env.stack.store.getSession('1001'))?.guid).toBeTruthy();
    const found = await modes(dataDir);
    expect(found.length).toBeGreaterThan(3); // LevelDB's files are there
    for (const [name, mode] of found) {
      const isDir = (await stat(path.resolve(dataDir, name))).isDirectory();
      expect(mode, `${name}`).toBe(isDir ? '700' : '600');
    }
  });
});

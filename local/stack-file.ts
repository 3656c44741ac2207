/**
 * Where the running `npm start` listens, for `npm run slack` to find it whatever port it chose: a small
 * JSON file in a directory of this user's own (mode 0700, the file 0600). Readers still ask the URL's
 * GET /healthz before trusting it (a stale file, another program on the port).
 */
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface StackFile {
  url: string;
  pid: number;
}

/** The default place: `<tmp>/qc-slack-<user>/stack.json`. */
export function defaultStackFile(): string {
  return join(tmpdir(), `qc-slack-${userInfo().uid}`, 'stack.json');
}

/** A directory or file is ours when it is not a symlink and this user owns it. */
function ours(path: string): boolean {
  try {
    const st = lstatSync(path);
    return !st.isSymbolicLink() && (typeof process.getuid !== 'function' || st.uid === process.getuid());
  } catch {
    return false; // absent: nothing of ours there
  }
}

/** Records where the stack listens (best effort: the stack runs without it; returns why it could not). */
export function writeStackFile(path: string, entry: StackFile): string | undefined {
  try {
    const dir = join(path, '..');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ours(dir)) return `${dir} is not this user's directory`;
    rmSync(path, { force: true });
    writeFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600, flag: 'wx' });
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}

/** The recorded stack, when the file is ours and well-formed. */
export function readStackFile(path: string): StackFile | undefined {
  if (!ours(path)) return undefined;
  try {
    const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof json !== 'object' || json === null) return undefined;
    const { url, pid } = json as Record<string, unknown>;
    if (typeof url !== 'string' || !/^http:\/\/127\.0\.0\.1:\d+$/.test(url) || typeof pid !== 'number')
      return undefined;
    return { url, pid };
  } catch {
    return undefined; // unreadable or not JSON: as if there were none
  }
}

/** Removes the file if it still names this stack (another `npm start` may have replaced it). */
export function removeStackFile(path: string, entry: StackFile): void {
  const current = readStackFile(path);
  if (current && current.url === entry.url && current.pid === entry.pid) rmSync(path, { force: true });
}

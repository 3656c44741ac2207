/**
 * TLS material: a private CA (basicConstraints cA) and a server certificate it signs for CN localhost with
 * SAN DNS:localhost, IP:127.0.0.1, IP:::1 (EC P-256, sha256).
 *
 * The CA is kept in `${tmpdir}/qc-slack-simulator/ca-store.json` (directory 0700, file 0600, owner checked)
 * so that every simulator process of this user — parallel test workers, restarts of `npm run simulator` —
 * shares one CA and the CA file on disk never changes under a running client. If the store cannot be used
 * safely, a CA is generated in memory instead. The server certificate is generated once per process.
 */
import { createPrivateKey, randomUUID, X509Certificate } from 'node:crypto';
import { link, lstat, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  caCert: string;
  /** PEM of the server certificate and its key. */
  cert: string;
  key: string;
}

interface CaPair {
  cert: string;
  key: string;
}

const DAY = 86_400_000;
export const CA_STORE_DIR = join(tmpdir(), 'qc-slack-simulator');
const CA_STORE = join(CA_STORE_DIR, 'ca-store.json');

let cached: Promise<TlsMaterial> | undefined;

/** The process-wide TLS material (generated on first use). */
export function getTlsMaterial(): Promise<TlsMaterial> {
  cached ??= build().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

/** Writes the CA PEM to `file` (mkdir -p; atomic rename so readers never see half a file). */
export async function writeCaFile(file: string, pem: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, pem, { mode: 0o644 });
  await rename(tmp, file);
}

async function build(): Promise<TlsMaterial> {
  const ca = await loadOrCreateCa();
  const now = Date.now();
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ca: { key: ca.key, cert: ca.cert },
    notBeforeDate: new Date(now - DAY),
    notAfterDate: new Date(now + 365 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { caCert: ca.cert, cert: leaf.cert, key: leaf.private };
}

async function generateCa(): Promise<CaPair> {
  const now = Date.now();
  const ca = await generate([{ name: 'commonName', value: 'qc-slack CC-Gateway simulator CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY),
    notAfterDate: new Date(now + 5 * 365 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: ca.cert, key: ca.private };
}

async function loadOrCreateCa(): Promise<CaPair> {
  try {
    await ensurePrivateDir(CA_STORE_DIR);
    const existing = await readStore();
    if (existing) return existing;
    const fresh = await generateCa();
    const tmp = join(CA_STORE_DIR, `.ca-store.${process.pid}.${randomUUID()}.tmp`);
    await writeFile(tmp, JSON.stringify(fresh), { mode: 0o600, flag: 'wx' });
    try {
      await link(tmp, CA_STORE); // atomic; fails if another process won the race
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      await unlink(tmp).catch(() => {});
    }
    return (await readStore()) ?? fresh;
  } catch {
    return generateCa();
  }
}

async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0))
    throw new Error(`${dir} is not a private directory of this user`);
}

async function readStore(): Promise<CaPair | undefined> {
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(CA_STORE);
  } catch {
    return undefined;
  }
  const uid = process.getuid?.();
  if (!st.isFile() || (uid !== undefined && (st.uid !== uid || (st.mode & 0o077) !== 0)))
    throw new Error(`${CA_STORE} is not a private file of this user`);
  try {
    const pair = JSON.parse(await readFile(CA_STORE, 'utf8')) as CaPair;
    const x = new X509Certificate(pair.cert);
    const fresh = Date.parse(x.validTo) > Date.now() + 30 * DAY;
    if (x.ca && fresh && x.checkPrivateKey(createPrivateKey(pair.key))) return pair;
  } catch {
    // unreadable or corrupt: replace it
  }
  await unlink(CA_STORE).catch(() => {});
  return undefined;
}

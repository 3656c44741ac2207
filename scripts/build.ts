/**
 * `npm run build`: one esbuild bundle per Lambda function → dist/<function>/index.mjs (+ chunks).
 *
 * - ESM, node20 target (runs on Lambda nodejs22.x/24.x too), minified, source maps in separate
 *   .map files (linked; the deploy zips leave them out).
 * - `splitting: true`: a lazy `await import()` (e.g. the Slack function's sign-in module, which pulls
 *   the gateway client and DynamoDB) lands in its own chunk file next to index.mjs, so the cold start
 *   of the ack path loads only what it needs.
 * - The banner gives CommonJS dependencies `require`, `__filename` and `__dirname` inside ESM.
 * - Slack function only: Bolt modules that `AwsLambdaReceiver` never calls (Express, Socket Mode,
 *   OAuth, raw-body, path-to-regexp) are aliased to stubs in src/stubs/ that throw if used.
 * - dist/<function>/meta.json is esbuild's metafile (drop it on https://esbuild.github.io/analyze/).
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FUNCTIONS = ['slack', 'worker', 'keeper', 'gateway-events', 'alerts'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** Packages Bolt imports that `App` + `AwsLambdaReceiver` never use at run time → stub module. */
export const SLACK_STUBS: Readonly<Record<string, string>> = {
  express: './src/stubs/express.ts',
  '@slack/socket-mode': './src/stubs/slack-socket-mode.ts',
  '@slack/oauth': './src/stubs/slack-oauth.ts',
  'raw-body': './src/stubs/raw-body.ts',
  'path-to-regexp': './src/stubs/path-to-regexp.ts',
};

const BANNER = [
  "import { createRequire as __qcCreateRequire } from 'node:module';",
  "import { fileURLToPath as __qcFileURLToPath } from 'node:url';",
  "import { dirname as __qcDirname } from 'node:path';",
  'const require = __qcCreateRequire(import.meta.url);',
  'const __filename = __qcFileURLToPath(import.meta.url);',
  'const __dirname = __qcDirname(__filename);',
].join('\n');

/** esbuild options for one function; `entry` overrides the entry point (tests build probes with it). */
export function buildOptions(fn: FunctionName, outdir: string, entry?: string): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: { index: entry ?? `src/handlers/${fn}.ts` },
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    minify: true,
    // index.mjs.map next to the bundle + a sourceMappingURL comment: used when the maps are shipped
    // (NODE_OPTIONS=--enable-source-maps); the zips leave them out by default (see docs/deploy.md).
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    banner: { js: BANNER },
    alias: fn === 'slack' ? { ...SLACK_STUBS } : {},
    logLevel: 'warning',
  };
}

export interface FunctionSize {
  fn: FunctionName;
  /** index.mjs alone. */
  indexBytes: number;
  /** index.mjs + the chunks it imports statically: what a cold start loads before any `await import()`. */
  eagerBytes: number;
  /** Every .mjs file (index + all chunks). */
  totalBytes: number;
  files: number;
}

/** Sizes of one function's output, from its metafile. */
export function measure(fn: FunctionName, metafile: Metafile): FunctionSize {
  const outputs = Object.entries(metafile.outputs).filter(([key]) => key.endsWith('.mjs'));
  const indexKey = outputs.find(([key]) => path.basename(key) === 'index.mjs')?.[0];
  if (!indexKey) throw new Error(`${fn}: esbuild wrote no index.mjs`);
  const eager = new Set<string>();
  const visit = (key: string): void => {
    if (eager.has(key)) return;
    eager.add(key);
    for (const imp of metafile.outputs[key]?.imports ?? []) {
      if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
    }
  };
  visit(indexKey);
  const bytesOf = (key: string): number => metafile.outputs[key]?.bytes ?? 0;
  return {
    fn,
    indexBytes: bytesOf(indexKey),
    eagerBytes: [...eager].reduce((sum, key) => sum + bytesOf(key), 0),
    totalBytes: outputs.reduce((sum, [, out]) => sum + out.bytes, 0),
    files: outputs.length,
  };
}

/**
 * Builds one function into `<outRoot>/<fn>/`. The output is written to a temporary sibling folder and
 * swapped in with two renames, so a concurrent reader (a packaging step, another test) never sees
 * a half-written folder; esbuild's output is deterministic, so chunk names stay the same.
 */
export async function buildFunction(
  fn: FunctionName,
  outRoot = path.join(ROOT, 'dist'),
): Promise<{ size: FunctionSize; metafile: Metafile }> {
  const outdir = path.join(outRoot, fn);
  const tmpdir = path.join(outRoot, `.${fn}.tmp-${process.pid}`);
  const olddir = path.join(outRoot, `.${fn}.old-${process.pid}`);
  await rm(tmpdir, { recursive: true, force: true });
  await mkdir(tmpdir, { recursive: true });
  const result = await build(buildOptions(fn, tmpdir));
  // The metafile names the temporary folder; name the final one instead.
  const metafile = JSON.parse(
    JSON.stringify(result.metafile)
      .split(`${path.relative(ROOT, tmpdir)}/`)
      .join(`${path.relative(ROOT, outdir)}/`),
  ) as Metafile;
  await writeFile(path.join(tmpdir, 'meta.json'), JSON.stringify(metafile));
  await rm(olddir, { recursive: true, force: true });
  await rename(outdir, olddir).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(tmpdir, outdir);
  await rm(olddir, { recursive: true, force: true });
  return { size: measure(fn, metafile), metafile };
}

const displayPath = (p: string): string => {
  const rel = path.relative(ROOT, p);
  return rel.startsWith('..') ? p : rel;
};

const kib = (bytes: number): string => (bytes / 1024).toFixed(1);

export function sizeTable(sizes: FunctionSize[]): string {
  const rows = [['function', 'index.mjs KiB', 'cold-load KiB', 'total KiB', 'files']];
  for (const s of sizes) {
    rows.push([s.fn, kib(s.indexBytes), kib(s.eagerBytes), kib(s.totalBytes), String(s.files)]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))))
    .map((r) => r.join('  '))
    .join('\n');
}

/** Builds every function into `<outRoot>/<fn>/` (default dist/) and prints the size table. */
export async function buildAll(outRoot = path.join(ROOT, 'dist')): Promise<FunctionSize[]> {
  const started = performance.now();
  const results = await Promise.all(FUNCTIONS.map((fn) => buildFunction(fn, outRoot)));
  const sizes = results.map((r) => r.size);
  console.log(sizeTable(sizes));
  console.log('cold-load = index.mjs + the chunks it imports statically (before any await import())');
  console.log(
    `built ${FUNCTIONS.length} functions in ${Math.round(performance.now() - started)} ms → ${displayPath(outRoot)}/`,
  );
  return sizes;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildAll().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

/**
 * The esbuild bundles (`npm run build`, scripts/build.ts): every function builds, loads as ESM and
 * exports `handler`; the Slack bundle stays small; lazy imports become chunks; and Bolt's App +
 * AwsLambdaReceiver still verify, route and ack a request with Express/Socket Mode/OAuth stubbed out.
 *
 * It builds into a temporary folder with the same code path as `npm run build` (buildAll), not into
 * dist/: test files run in parallel and cloudformation.test.ts packages dist/ at the same time.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAll,
  buildOptions,
  FUNCTIONS,
  type FunctionName,
  type FunctionSize,
  SLACK_STUBS,
} from '../../scripts/build';

const SLACK_INDEX_LIMIT_KIB = 700;
const SIGNING_SECRET = 'bundle-test-signing-secret';

let outRoot: string;
let sizes: FunctionSize[];

// Dummy configuration so a real handler module that reads its config at load time can be imported.
const ENV: Record<string, string> = {
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_BOT_TOKEN: 'xoxb-bundle-test',
  SLACK_BOT_ID: 'B0BUNDLE',
  SLACK_BOT_USER_ID: 'U0BUNDLE',
  SLACK_API_URL: 'http://127.0.0.1:9/api/',
  TABLE_NAME: 'qc-slack-bundle-test',
  QUEUE_URL: 'http://127.0.0.1:9/000000000000/qc-jobs.fifo',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
  AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9',
  CCGW_BASE_URL: 'https://127.0.0.1:9',
  ALERTS_SECRET: 'bundle-test-alerts-secret',
  QC_ADMIN_USER_IDS: 'U0ADMIN',
  LOG_LEVEL: 'silent',
};

type Handler = (event: unknown, context?: unknown) => Promise<{ statusCode: number; body?: string }>;

async function importHandler(file: string): Promise<{ handler: unknown } & Record<string, unknown>> {
  return (await import(pathToFileURL(file).href)) as { handler: unknown } & Record<string, unknown>;
}

function signedEvent(body: string, secret = SIGNING_SECRET, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    version: '2.0',
    routeKey: 'POST /slack/events',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-signature': signature,
      'x-slack-request-timestamp': String(timestamp),
    },
    requestContext: { http: { method: 'POST', path: '/slack/events' }, requestId: 'bundle-test' },
    body,
    isBase64Encoded: false,
  };
}

function slashCommandBody(command: string, text: string): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T0BUNDLE',
    team_domain: 'bundle',
    channel_id: 'C0BUNDLE',
    channel_name: 'qc',
    user_id: 'U0INSPECTOR',
    user_name: 'inspector',
    command,
    text,
    api_app_id: 'A0BUNDLE',
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: '1.2.3',
  }).toString();
}

/** Modules reached only through `await import()` must not be in index.mjs. */
function lazyInputsInIndex(meta: Metafile): string[] {
  const lazy = new Set<string>();
  const eager = new Set<string>();
  for (const input of Object.values(meta.inputs)) {
    for (const imp of input.imports) {
      if (imp.external) continue;
      (imp.kind === 'dynamic-import' ? lazy : eager).add(imp.path);
    }
  }
  const indexKey = Object.keys(meta.outputs).find((k) => k.endsWith('/index.mjs') || k === 'index.mjs');
  const indexInputs = indexKey ? Object.keys(meta.outputs[indexKey]?.inputs ?? {}) : [];
  return indexInputs.filter((p) => lazy.has(p) && !eager.has(p));
}

/** The inputs of index.mjs and the chunks it imports statically: what a cold start loads. */
function eagerInputs(meta: Metafile): string[] {
  const indexKey = Object.keys(meta.outputs).find((k) => k.endsWith('/index.mjs') || k === 'index.mjs');
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imp of meta.outputs[key]?.imports ?? [])
      if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  };
  if (indexKey) visit(indexKey);
  return [...seen].flatMap((key) => Object.keys(meta.outputs[key]?.inputs ?? {}));
}

beforeAll(async () => {
  for (const [k, v] of Object.entries(ENV)) process.env[k] ??= v;
  outRoot = await mkdtemp(path.join(tmpdir(), 'qc-slack-bundle-'));
  sizes = await buildAll(outRoot);
}, 120_000);

afterAll(async () => {
  if (outRoot) await rm(outRoot, { recursive: true, force: true });
});

describe('npm run build (scripts/build.ts)', () => {
  it('builds every function to <fn>/index.mjs with meta.json and a source map', async () => {
    expect(sizes.map((s) => s.fn)).toEqual([...FUNCTIONS]);
    for (const fn of FUNCTIONS) {
      const dir = path.join(outRoot, fn);
      expect((await stat(path.join(dir, 'index.mjs'))).size).toBeGreaterThan(0);
      expect((await stat(path.join(dir, 'index.mjs.map'))).size).toBeGreaterThan(0);
      const meta = JSON.parse(await readFile(path.join(dir, 'meta.json'), 'utf8')) as Metafile;
      expect(Object.keys(meta.outputs).some((k) => k.endsWith('index.mjs'))).toBe(true);
    }
  });

  it.each(FUNCTIONS.map((fn) => [fn]))('dist/%s/index.mjs loads as ESM and exports handler', async (fn) => {
    const mod = await importHandler(path.join(outRoot, fn, 'index.mjs'));
    expect(typeof mod.handler).toBe('function');
  });

  it(`keeps dist/slack/index.mjs, and all it loads before the first await import(), ≤ ${SLACK_INDEX_LIMIT_KIB} KiB`, () => {
    const slack = sizes.find((s) => s.fn === 'slack');
    expect(slack).toBeDefined();
    const kib = (bytes = 0) => bytes / 1024;
    console.log(
      `slack index.mjs: ${kib(slack?.indexBytes).toFixed(1)} KiB, cold load (index + static chunks): ` +
        `${kib(slack?.eagerBytes).toFixed(1)} KiB (limit ${SLACK_INDEX_LIMIT_KIB}); ` +
        `all chunks: ${kib(slack?.totalBytes).toFixed(1)} KiB in ${slack?.files} files`,
    );
    expect(kib(slack?.indexBytes)).toBeLessThanOrEqual(SLACK_INDEX_LIMIT_KIB);
    expect(kib(slack?.eagerBytes)).toBeLessThanOrEqual(SLACK_INDEX_LIMIT_KIB);
  });

  it('the Slack function loads no gateway client, undici or AWS SDK before a sign-in needs them', async () => {
    const meta = JSON.parse(await readFile(path.join(outRoot, 'slack', 'meta.json'), 'utf8')) as Metafile;
    const eager = eagerInputs(meta);
    expect(eager).toContain('src/slack/app.ts');
    const heavy =
      /node_modules\/(undici|@aws-sdk|@smithy)\/|^src\/gateway\/(client|transport)\.ts$|^src\/store\/dynamo/;
    expect(eager.filter((p) => heavy.test(p))).toEqual([]);
  });

  it('meta.json names the final output folder, not the temporary one', async () => {
    for (const fn of FUNCTIONS) {
      const meta = await readFile(path.join(outRoot, fn, 'meta.json'), 'utf8');
      expect(meta).not.toContain('.tmp-');
      expect(meta).toContain(`${fn}/index.mjs`);
    }
  });

  it.each(FUNCTIONS.map((fn) => [fn]))(
    '%s: modules loaded only by await import() are split out of index.mjs',
    async (fn) => {
      const meta = JSON.parse(await readFile(path.join(outRoot, fn, 'meta.json'), 'utf8')) as Metafile;
      expect(lazyInputsInIndex(meta)).toEqual([]);
    },
  );

  it.each(FUNCTIONS.map((fn) => [fn]))(
    '%s: ships only src/ and production packages (no local/, simulator/, test/, bench/, scripts/, dev packages)',
    async (fn) => {
      const meta = JSON.parse(await readFile(path.join(outRoot, fn, 'meta.json'), 'utf8')) as Metafile;
      const inputs = Object.keys(meta.inputs);
      expect(inputs.length).toBeGreaterThan(10);
      const devFolders = /^(local|simulator|test|bench|scripts)\//;
      const devPackages =
        /node_modules\/(dynalite|ws|selfsigned|playwright-core|fast-check|vitest|yaml|tsx)\//;
      expect(inputs.filter((p) => devFolders.test(p) || devPackages.test(p))).toEqual([]);
      expect(inputs.filter((p) => !p.startsWith('src/') && !p.includes('node_modules/'))).toEqual([]);
    },
  );

  it('the Slack bundle contains none of the stubbed packages', async () => {
    const meta = JSON.parse(await readFile(path.join(outRoot, 'slack', 'meta.json'), 'utf8')) as Metafile;
    const inputs = Object.keys(meta.inputs);
    for (const pkg of Object.keys(SLACK_STUBS)) {
      expect(inputs.filter((p) => p.includes(`node_modules/${pkg}/`))).toEqual([]);
    }
  });

  it('the real Slack handler answers a signed url_verification (Bolt runs in the built bundle)', async () => {
    const { handler } = await importHandler(path.join(outRoot, 'slack', 'index.mjs'));
    const verification = signedEvent(
      JSON.stringify({ type: 'url_verification', challenge: 'real-1', token: 't' }),
    );
    verification.headers['content-type'] = 'application/json';
    const res = await (handler as Handler)(verification, {
      awsRequestId: 'bundle-test',
      getRemainingTimeInMillis: () => 10_000,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('real-1');
  });

  it('the real Slack handler rejects a request with a forged signature', async () => {
    const { handler } = await importHandler(path.join(outRoot, 'slack', 'index.mjs'));
    const forged = signedEvent(slashCommandBody('/intercept', '2005'), 'not-the-signing-secret');
    const res = await (handler as Handler)(forged, {
      awsRequestId: 'bundle-test',
      getRemainingTimeInMillis: () => 10_000,
    });
    expect(res.statusCode).not.toBe(200);
  });
});

describe('Bolt App + AwsLambdaReceiver in a bundle built with the Slack options (stubs aliased)', () => {
  let probeDir: string;
  let probe: { handler: Handler; lazy: () => Promise<string> };
  let probeMeta: Metafile;

  beforeAll(async () => {
    probeDir = path.join(outRoot, 'bolt-probe');
    const fn: FunctionName = 'slack';
    const result = await build(buildOptions(fn, probeDir, 'test/infra/fixtures/bolt-probe.ts'));
    probeMeta = result.metafile as Metafile;
    process.env.PROBE_SIGNING_SECRET = SIGNING_SECRET;
    probe = (await importHandler(path.join(probeDir, 'index.mjs'))) as unknown as typeof probe;
  }, 60_000);

  it('bundles Bolt without express, socket-mode, oauth, raw-body, path-to-regexp', () => {
    const inputs = Object.keys(probeMeta.inputs);
    expect(inputs.some((p) => p.includes('node_modules/@slack/bolt/'))).toBe(true);
    for (const pkg of Object.keys(SLACK_STUBS)) {
      expect(inputs.filter((p) => p.includes(`node_modules/${pkg}/`))).toEqual([]);
    }
  });

  it('verifies, routes and acks a signed slash command', async () => {
    const res = await probe.handler(signedEvent(slashCommandBody('/intercept', '2005')), {});
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('probe: intercept 2005');
  });

  it('answers url_verification and ssl_check', async () => {
    const verification = signedEvent(
      JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 't' }),
    );
    verification.headers['content-type'] = 'application/json';
    const challenge = await probe.handler(verification, {});
    expect(challenge.statusCode).toBe(200);
    expect(challenge.body).toContain('c-123');
    const ssl = await probe.handler(signedEvent('ssl_check=1&token=t'), {});
    expect(ssl.statusCode).toBe(200);
  });

  it('rejects a forged signature with 401 and a stale timestamp with 401', async () => {
    const body = slashCommandBody('/intercept', '2005');
    expect((await probe.handler(signedEvent(body, 'wrong-secret'), {})).statusCode).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await probe.handler(signedEvent(body, SIGNING_SECRET, stale), {})).statusCode).toBe(401);
  });

  it('puts a lazily imported module in its own chunk and loads it', async () => {
    const index = await readFile(path.join(probeDir, 'index.mjs'), 'utf8');
    expect(index).not.toContain('lazy-chunk-loaded');
    expect(lazyInputsInIndex(probeMeta)).toEqual([]);
    expect(await probe.lazy()).toBe('lazy-chunk-loaded');
  });
});

/**
 * Cold load of the Slack function: a fresh `node` importing dist/slack/index.mjs (which builds the
 * Bolt app at import, as Lambda's init does) vs a fresh `node` doing `require('@slack/bolt')` (the
 * official example's path) vs `node -e 0` (the floor). Whole-process wall time, runs interleaved.
 * `bundle_ssm` is the deployed shape: the secrets are SSM parameter names, read at import with one
 * signed GetParameters call, here against the local fake SSM on 127.0.0.1 (so it counts the client
 * side — signing, the request, parsing — not AWS's network latency, which is ~5–20 ms in-region).
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { startFakeSsm } from '../local/fake-ssm';
import { buildAll, ROOT } from '../scripts/build';
import { emit, percentile } from './stats';

const ENV = {
  ...process.env,
  SLACK_SIGNING_SECRET: 'bench-secret',
  SLACK_BOT_TOKEN: 'xoxb-bench',
  SLACK_BOT_ID: 'B1',
  SLACK_BOT_USER_ID: 'U1',
  TABLE_NAME: 'qc-bench',
  QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/qc.fifo',
  // The Slack function signs inspectors in: it reads the gateway's settings at cold start.
  CCGW_BASE_URL: 'https://10.0.0.5:8043',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
};

const PARAMS = {
  '/qc-slack/bench/slack-signing-secret': { value: 'bench-secret' },
  '/qc-slack/bench/slack-bot-token': { value: 'xoxb-bench' },
};

/** Wall time of one fresh process (async: the fake SSM answers from this process meanwhile). */
function wall(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(performance.now() - t);
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
    });
  });
}

export async function benchColdLoad(runs = Number(process.env.BENCH_RUNS ?? 9)): Promise<void> {
  await buildAll();
  const ssm = await startFakeSsm(PARAMS);
  const ssmEnv = {
    ...ENV,
    SLACK_SIGNING_SECRET: undefined,
    SLACK_BOT_TOKEN: undefined,
    SLACK_SIGNING_SECRET_PARAM: '/qc-slack/bench/slack-signing-secret',
    SLACK_BOT_TOKEN_PARAM: '/qc-slack/bench/slack-bot-token',
    AWS_ENDPOINT_URL_SSM: ssm.url,
  };
  const bundle = path.join(ROOT, 'dist/slack/index.mjs');
  // Exit once loaded, as Lambda's init ends there: the SSM call's keep-alive socket would otherwise
  // hold the process open for its idle timeout, which is not cold-start time.
  const load = ['--input-type=module', '-e', `await import(${JSON.stringify(bundle)}); process.exit(0)`];
  const cases: Record<string, [string[], NodeJS.ProcessEnv]> = {
    floor: [['-e', '0'], ENV],
    bolt: [['-e', "require('@slack/bolt')"], ENV],
    bundle: [load, ENV],
    bundle_ssm: [load, ssmEnv],
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  try {
    for (let i = 0; i < runs; i++)
      for (const [name, [args, env]] of Object.entries(cases)) times[name]?.push(await wall(args, env));
  } finally {
    await ssm.close();
  }
  if (ssm.calls.length !== runs) throw new Error(`expected ${runs} SSM calls, saw ${ssm.calls.length}`);
  const med = (name: string) => Math.round(percentile(times[name] ?? [], 50) * 10) / 10;
  const ratio = (name: string) => Math.round((med(name) / med('bolt')) * 100) / 100;
  emit({
    bench: 'slack.cold-load',
    unit: 'ms (median wall time of a fresh process)',
    runs,
    node_floor: med('floor'),
    require_bolt: med('bolt'),
    slack_bundle: med('bundle'),
    slack_bundle_ssm: med('bundle_ssm'),
    ssm_fetch_added: Math.round((med('bundle_ssm') - med('bundle')) * 10) / 10,
    ratio_bundle_vs_bolt: ratio('bundle'),
    ratio_bundle_ssm_vs_bolt: ratio('bundle_ssm'),
    goal: '<= 0.5',
  });
  emit({
    bench: 'slack.bundle-size',
    file: 'dist/slack/index.mjs',
    kib: Math.round(statSync(bundle).size / 102.4) / 10,
    goal: '<= 700 KiB',
  });
}

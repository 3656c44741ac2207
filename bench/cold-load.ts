/**
 * Cold load of the Slack function: a fresh `node` importing dist/slack/index.mjs (which builds the
 * Bolt app at import, as Lambda's init does) vs a fresh `node` doing `require('@slack/bolt')` (the
 * official example's path) vs `node -e 0` (the floor). Whole-process wall time, runs interleaved.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
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
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
};

function wall(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: ENV, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
}

export async function benchColdLoad(runs = Number(process.env.BENCH_RUNS ?? 9)): Promise<void> {
  await buildAll();
  const bundle = path.join(ROOT, 'dist/slack/index.mjs');
  const cases: Record<string, string[]> = {
    floor: ['-e', '0'],
    bolt: ['-e', "require('@slack/bolt')"],
    bundle: ['--input-type=module', '-e', `await import(${JSON.stringify(bundle)})`],
  };
  const times: Record<string, number[]> = { floor: [], bolt: [], bundle: [] };
  for (let i = 0; i < runs; i++)
    for (const [name, args] of Object.entries(cases)) times[name]?.push(wall(args));
  const med = (name: string) => Math.round(percentile(times[name] ?? [], 50) * 10) / 10;
  emit({
    bench: 'slack.cold-load',
    unit: 'ms (median wall time of a fresh process)',
    runs,
    node_floor: med('floor'),
    require_bolt: med('bolt'),
    slack_bundle: med('bundle'),
    ratio_bundle_vs_bolt: Math.round((med('bundle') / med('bolt')) * 100) / 100,
    goal: '<= 0.5',
  });
  emit({
    bench: 'slack.bundle-size',
    file: 'dist/slack/index.mjs',
    kib: Math.round(statSync(bundle).size / 102.4) / 10,
    goal: '<= 700 KiB',
  });
}

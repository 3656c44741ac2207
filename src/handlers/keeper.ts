import { keeperRunMsConfig, workerConfig } from '../config';
import { Keeper, type KeeperReport } from '../qc/keeper';
import { withSecrets } from '../runtime/secrets';
import { buildWorkerDeps } from '../runtime/worker-deps';

const env = await withSecrets();
const deps = buildWorkerDeps(workerConfig(env));
const runMs = keeperRunMsConfig(env);

/** λ keeper: every minute, ~55 s of keeping sessions alive for one shard of inspectors. */
export async function handler(event: { shard?: number; shards?: number } = {}): Promise<KeeperReport> {
  const keeper = new Keeper(deps, { shard: event.shard ?? 0, shards: event.shards ?? 1, runMs });
  const report = await keeper.run();
  deps.logger.info({ ...report }, 'keeper run finished');
  return report;
}

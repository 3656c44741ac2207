// Keeper schedules for serverless.yml (`events: ${file(./scripts/keeper-schedules.cjs)}`):
// one `rate(1 minute)` EventBridge rule per shard, input {"shard": i, "shards": n}, where n is the
// osls parameter `keeperShards` (default 1; e.g. `--param="keeperShards=3"`). Runs offline.
'use strict';

const MAX_SHARDS = 50;

module.exports = async ({ resolveVariable }) => {
  const raw = await resolveVariable('param:keeperShards');
  const shards = Number(raw);
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new Error(`keeperShards must be a whole number from 1 to ${MAX_SHARDS} (got "${raw}")`);
  }
  return Array.from({ length: shards }, (_, shard) => ({
    schedule: {
      rate: ['rate(1 minute)'],
      description: `qc-slack keeper shard ${shard} of ${shards}`,
      input: { shard, shards },
    },
  }));
};

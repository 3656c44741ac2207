// Reserved concurrency of the keeper for serverless.yml
// (`reservedConcurrency: ${file(./scripts/keeper-concurrency.cjs)}`): two runs per shard, because a
// run lasts ~55 s (timeout 70 s) and the next minute's run may start before it ends. Reserved, so
// that a flood on the public routes cannot take the keeper's slots (a keeper that cannot run lets
// every inspector's gateway session die at the 120 s heartbeat). Runs offline.
'use strict';

const schedules = require('./keeper-schedules.cjs');

module.exports = async (ctx) => 2 * (await schedules(ctx)).length;

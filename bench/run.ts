/**
 * `npm run bench`: every benchmark, one JSON object per line. Ratios are against a baseline
 * measured in the same run (machines here are noisy). Select with `npm run bench -- gateway`.
 */
import { benchAlertsBurst } from './alerts-burst';
import { benchBurst } from './burst';
import { benchColdLoad } from './cold-load';
import { benchFloor } from './floor';
import { benchGateway } from './gateway';
import { benchKeeperScale } from './keeper-scale';
import { benchLocalStack } from './local-stack';

const all: Record<string, () => Promise<void>> = {
  gateway: () => benchGateway(),
  'cold-load': () => benchColdLoad(),
  'local-stack': () => benchLocalStack(),
  burst: () => benchBurst(),
  // Held polls (1 s, as real gateways hold ~10 s), then a gateway that answers empty polls at once.
  'keeper-scale': async () => {
    await benchKeeperScale();
    await benchKeeperScale(Number(process.env.BENCH_KEEPER_NOHOLD_SESSIONS ?? 200), 3, undefined, 0);
  },
  'alerts-burst': () => benchAlertsBurst(),
  floor: () => benchFloor(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length ? wanted : Object.keys(all)) {
  const bench = all[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(all).join(', ')}`);
    process.exit(2);
  }
  await bench();
}

import { withSecrets } from '../runtime/secrets';
import { workerDepsFromEnv } from '../runtime/worker-deps';
import { createWorkerHandler } from '../runtime/worker-handler';

/** λ worker: SQS FIFO jobs → the gateway → Slack. */
export const handler = createWorkerHandler(workerDepsFromEnv(await withSecrets()));

import { workerConfig } from '../config';
import { withSecrets } from '../runtime/secrets';
import { buildWorkerDeps } from '../runtime/worker-deps';
import { createWorkerHandler } from '../runtime/worker-handler';

/** λ worker: SQS FIFO jobs → the gateway → Slack. */
export const handler = createWorkerHandler(buildWorkerDeps(workerConfig(await withSecrets())));

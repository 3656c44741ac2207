import type { AckConfig, SignInConfig } from '../config';
import { createLogger } from '../log';
import type { SignInOutcome, SignInRequest } from '../qc/signin';
import { SqsJobQueue } from '../queue/sqs';
import type { JobQueue } from '../queue/types';
import type { AckDeps } from '../slack/deps';
import { HttpLinkReader } from '../store/link-reader';
import type { Overrides } from './edges';
import type { SignInService } from './signin-service';

/** The ack builder's edges: the job queue too (the local stack's in-process FIFO instead of SQS). */
export interface AckOverrides extends Overrides {
  queue?: JobQueue;
}

/** The Slack function's dependencies, and how to close the sign-in gateway once it was loaded. */
export type BuiltAckDeps = AckDeps & { close(): Promise<void> };

/**
 * The Slack function's dependencies: a signed GetItem, a signed SendMessage, a lazy sign-in. Nothing
 * here loads the AWS SDK or the gateway client: the first sign-in loads them (a separate chunk).
 */
export function buildAckDeps(config: AckConfig, overrides: AckOverrides = {}): BuiltAckDeps {
  const { queue, ...edges } = overrides;
  const logger = edges.logger ?? createLogger(config.slack.logLevel);
  const signIn = lazySignIn(config.signIn, { ...edges, logger });
  return {
    links: new HttpLinkReader({
      tableName: config.table.tableName,
      region: config.table.region,
      ...(config.table.endpoint ? { endpoint: config.table.endpoint } : {}),
      credentials: config.credentials,
    }),
    queue: queue ?? sqsQueue(config),
    maxAgentId: config.maxAgentId,
    adminUserIds: config.slack.adminUserIds,
    logger,
    now: edges.now ?? Date.now,
    signIn: signIn.signIn,
    close: signIn.close,
  };
}

function sqsQueue(config: AckConfig): JobQueue {
  // ackConfig() requires QUEUE_URL; only a hand-made config can lack both the queue and its override.
  if (!config.queue) throw new TypeError('buildAckDeps: no queue (config.queue or overrides.queue)');
  return new SqsJobQueue(config.queue);
}

/** Loads the gateway client and the full store on the first sign-in only (a separate bundle chunk). */
export function lazySignIn(
  config: SignInConfig,
  overrides: Overrides,
): { signIn(req: SignInRequest): Promise<SignInOutcome>; close(): Promise<void> } {
  let service: Promise<SignInService> | undefined;
  return {
    signIn: async (req) => {
      service ??= import('./signin-service').then((m) => m.buildSignInService(config, overrides));
      return (await service).signIn(req);
    },
    close: async () => {
      // A chunk that failed to load has nothing to close (its error went to the sign-in that loaded it).
      const loaded = await service?.catch(() => undefined);
      await loaded?.close();
    },
  };
}

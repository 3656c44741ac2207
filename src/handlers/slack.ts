import { ackConfig } from '../config';
import { buildAckDeps } from '../runtime/ack-deps';
import { withSecrets } from '../runtime/secrets';
import { createSlackApp } from '../slack/app';

/** λ slack: signature check, parse, validate, enqueue, ack. Built once per container (secrets too). */
const config = ackConfig(await withSecrets());
const { handler: boltHandler } = createSlackApp(config.slack, buildAckDeps(config));

export const handler = (
  event: Parameters<typeof boltHandler>[0],
  context: Parameters<typeof boltHandler>[1],
) => boltHandler(event, context);

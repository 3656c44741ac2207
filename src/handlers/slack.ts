import { slackConfig } from '../config';
import { ackDepsFromEnv } from '../runtime/ack-deps';
import { createSlackApp } from '../slack/app';

/** λ slack: signature check, parse, validate, enqueue, ack. Built once per container. */
const { handler: boltHandler } = createSlackApp(slackConfig(), ackDepsFromEnv());

export const handler = (
  event: Parameters<typeof boltHandler>[0],
  context: Parameters<typeof boltHandler>[1],
) => boltHandler(event, context);

import { awsConfig, maxAgentIdConfig, slackConfig } from '../config';
import { createLogger } from '../log';
import type { SignInOutcome, SignInRequest } from '../qc/signin';
import { credentialsFromEnv, SqsJobQueue } from '../queue/sqs';
import type { AckDeps } from '../slack/deps';
import { HttpLinkReader } from '../store/link-reader';

type Env = Record<string, string | undefined>;

/** The Slack function's dependencies: a signed GetItem, a signed SendMessage, a lazy sign-in. */
export function ackDepsFromEnv(env: Env = process.env): AckDeps {
  const slack = slackConfig(env);
  const aws = awsConfig(env);
  const credentials = credentialsFromEnv(env);
  if (!aws.queueUrl) throw new Error('QUEUE_URL is not set (the SQS FIFO queue, set by serverless.yml)');
  return {
    links: new HttpLinkReader({
      tableName: aws.tableName,
      region: aws.region,
      ...(aws.dynamoEndpoint ? { endpoint: aws.dynamoEndpoint } : {}),
      credentials,
    }),
    queue: new SqsJobQueue({
      queueUrl: aws.queueUrl,
      region: aws.region,
      ...(aws.sqsEndpoint ? { endpoint: aws.sqsEndpoint } : {}),
      credentials,
    }),
    maxAgentId: maxAgentIdConfig(env),
    adminUserIds: slack.adminUserIds,
    logger: createLogger(slack.logLevel),
    now: Date.now,
    signIn: lazySignIn(env),
  };
}

/** Loads the gateway client and the full store on the first sign-in only (a separate bundle chunk). */
export function lazySignIn(env: Env): (req: SignInRequest) => Promise<SignInOutcome> {
  let service: Promise<(req: SignInRequest) => Promise<SignInOutcome>> | undefined;
  return async (req) => {
    service ??= import('./signin-service').then((m) => m.signInServiceFromEnv(env));
    return (await service)(req);
  };
}

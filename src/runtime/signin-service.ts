import { awsConfig, gatewayConfig, logLevelConfig } from '../config';
import { GatewayClient } from '../gateway/client';
import { createLogger } from '../log';
import { type SignInOutcome, type SignInRequest, signInInspector } from '../qc/signin';
import { DynamoStore } from '../store/dynamo';

/**
 * Sign-in from the Slack function: it must answer the modal within Slack's 3 s, so the gateway
 * gets a short leash here (1 s to connect, 2 s to answer).
 */
export function signInServiceFromEnv(
  env: Record<string, string | undefined>,
): (req: SignInRequest) => Promise<SignInOutcome> {
  const aws = awsConfig(env);
  const logger = createLogger(logLevelConfig(env));
  const gateway = new GatewayClient({
    ...gatewayConfig(env),
    connectTimeoutMs: 1_000,
    requestTimeoutMs: 2_000,
    logger,
  });
  const store = new DynamoStore({
    tableName: aws.tableName,
    clientConfig: { region: aws.region, ...(aws.dynamoEndpoint ? { endpoint: aws.dynamoEndpoint } : {}) },
  });
  return (req) =>
    signInInspector(
      {
        store,
        gateway,
        logger,
        now: Date.now,
        ...(aws.pushCallbackUrl ? { pushCallbackUrl: aws.pushCallbackUrl } : {}),
      },
      req,
    );
}

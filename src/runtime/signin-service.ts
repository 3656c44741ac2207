import type { SignInConfig } from '../config';
import { GatewayClient } from '../gateway/client';
import { createLogger } from '../log';
import { type SignInOutcome, type SignInRequest, signInInspector } from '../qc/signin';
import { dynamoStore, type Overrides } from './edges';

/**
 * Sign-in from the Slack function: it must answer the modal within Slack's 3 s, so the gateway
 * gets a short leash here (1 s to connect, 2 s to answer).
 */
export const SIGN_IN_GATEWAY_TIMEOUTS = { connectTimeoutMs: 1_000, requestTimeoutMs: 2_000 } as const;

export interface SignInService {
  signIn(req: SignInRequest): Promise<SignInOutcome>;
  /** Closes the gateway client's connections (the local stack, when it stops). */
  close(): Promise<void>;
}

export function buildSignInService(config: SignInConfig, overrides: Overrides = {}): SignInService {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const gateway = new GatewayClient({
    ...config.gateway,
    ...SIGN_IN_GATEWAY_TIMEOUTS,
    logger: overrides.gatewayLogger ?? logger,
  });
  const deps = {
    store: dynamoStore(config.table, overrides),
    gateway,
    logger,
    now: overrides.now ?? Date.now,
    ...(config.pushCallbackUrl ? { pushCallbackUrl: config.pushCallbackUrl } : {}),
  };
  return {
    signIn: (req) => signInInspector(deps, req),
    close: () => gateway.destroy(),
  };
}

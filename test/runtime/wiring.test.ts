/**
 * One wiring: the local stack (and so every end-to-end test) runs the deps the Lambda entry points
 * build — buildWorkerDeps, buildAckDeps (with its lazily loaded buildSignInService) and buildAlertsDeps —
 * with only the edges replaced. A stack that wired its own copy would not call them.
 */
import { describe, expect, it, vi } from 'vitest';
import { LOCAL_ALERTS_SECRET, LOCAL_CHANNEL } from '../../local/stack';
import type { GatewayClientOptions } from '../../src/gateway/client';
import { buildAckDeps } from '../../src/runtime/ack-deps';
import { buildAlertsDeps } from '../../src/runtime/alerts-deps';
import { buildSignInService } from '../../src/runtime/signin-service';
import { buildWorkerDeps } from '../../src/runtime/worker-deps';
import { useLocalStack } from '../e2e/support';

/** The options of every gateway client made, in order. */
const gatewayClients = vi.hoisted(() => [] as GatewayClientOptions[]);
vi.mock('../../src/gateway/client', async (original) => {
  const mod = await original<typeof import('../../src/gateway/client')>();
  class RecordedGatewayClient extends mod.GatewayClient {
    constructor(opts: GatewayClientOptions) {
      super(opts);
      gatewayClients.push(opts);
    }
  }
  return { ...mod, GatewayClient: RecordedGatewayClient };
});
vi.mock('../../src/runtime/worker-deps', async (original) => {
  const mod = await original<typeof import('../../src/runtime/worker-deps')>();
  return { ...mod, buildWorkerDeps: vi.fn(mod.buildWorkerDeps) };
});
vi.mock('../../src/runtime/ack-deps', async (original) => {
  const mod = await original<typeof import('../../src/runtime/ack-deps')>();
  return { ...mod, buildAckDeps: vi.fn(mod.buildAckDeps) };
});
vi.mock('../../src/runtime/alerts-deps', async (original) => {
  const mod = await original<typeof import('../../src/runtime/alerts-deps')>();
  return { ...mod, buildAlertsDeps: vi.fn(mod.buildAlertsDeps) };
});
vi.mock('../../src/runtime/signin-service', async (original) => {
  const mod = await original<typeof import('../../src/runtime/signin-service')>();
  return { ...mod, buildSignInService: vi.fn(mod.buildSignInService) };
});

const env = useLocalStack();

describe('the local stack runs the Lambda builders', () => {
  it('the worker, keeper and push receiver deps are what buildWorkerDeps returned', () => {
    expect(vi.mocked(buildWorkerDeps)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(buildWorkerDeps).mock.results[0]?.value).toBe(env.stack.deps);
    const [config] = vi.mocked(buildWorkerDeps).mock.calls[0] ?? [];
    expect(config?.gateway.baseUrl).toBe(env.stack.sim?.url);
    expect(config?.slack.apiUrl).toBe(`${env.stack.url}/api/`);
  });

  it('a sign-in through Slack goes through buildAckDeps and the lazily built sign-in service', async () => {
    expect(vi.mocked(buildAckDeps)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(buildSignInService)).not.toHaveBeenCalled();
    await env.signIn('U_DEMO', '1001');
    expect(vi.mocked(buildSignInService)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(buildSignInService).mock.calls[0]?.[0].gateway.baseUrl).toBe(env.stack.sim?.url);
    // The sign-in gateway's short leash (Slack's 3 s) is the builder's, here as on Lambda.
    expect(gatewayClients.at(-1)).toMatchObject({
      baseUrl: env.stack.sim?.url,
      connectTimeoutMs: 1_000,
      requestTimeoutMs: 2_000,
    });
  });

  it('POST /alerts is answered with the deps buildAlertsDeps made', async () => {
    expect(vi.mocked(buildAlertsDeps)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(buildAlertsDeps).mock.calls[0]?.[0].secret).toBe(LOCAL_ALERTS_SECRET);
    const res = await env.slack.postAlert({ channel: LOCAL_CHANNEL, agentId: '2005', reason: 'wiring' });
    expect(res.status).toBe(201);
    expect(env.stack.slack.store.message(LOCAL_CHANNEL, String(res.json?.ts))).toBeDefined();
  });
});

import { describe, expect, it } from 'vitest';
import { useLocalStack } from './support';

/**
 * The whole app (signed Slack requests → queue → worker → gateway → Slack; the keeper holding the
 * session) against gateways deployed differently from the documentation (docs/gateway.md "Deployed
 * gateways"): behind a load balancer that needs its cookie, and the 2018 route table.
 */
async function listenThenIntercept(env: ReturnType<typeof useLocalStack>) {
  const signin = await env.slack.signIn('U_DEMO');
  expect(JSON.stringify(signin.json)).toMatch(/Signed in as inspector \*1001\*/);
  await env.slack.command('/qc listen 2005');
  const listened = await env.slack.waitForChannelMessage(/Listening to agent 2005/);
  await env.slack.waitForThread(listened, /Phone answered: you are listening to 2005/);
  await env.slack.command('/intercept 2005');
  const result = await env.slack.waitForChannelMessage(/Intercepted the call of agent 2005/);
  await env.slack.waitForThread(result, /Talking: caller/);
  return result;
}

describe('behind a load balancer that needs its cookie (simulator --elb-cookie)', () => {
  const env = useLocalStack({ simulator: { elbCookie: true, pollHoldMs: 50 } });

  it('sign in → listen → intercept works: the worker and the keeper send the cookie the balancer set', async () => {
    await listenThenIntercept(env);
    const log = env.sim.requestLog;
    const afterSignIn = log.filter((r) => r.logName !== 'login' && r.agentId === '1001');
    expect(afterSignIn.length).toBeGreaterThan(3);
    // Without the cookie the balancer would have sent these to a node that does not know the session.
    expect(afterSignIn.filter((r) => r.retcode === '100-006')).toEqual([]);
    const session = await env.stack.store.getSession('1001');
    expect(session?.cookie).toMatch(/^huaweielbsession=/);
    expect(session?.status).toBe('active');
  });
});

describe('the 2018 route table (simulator --profile legacy), push mode asked for', () => {
  const env = useLocalStack({
    push: true,
    simulator: { profile: 'legacy', pollHoldMs: 50 },
    keeper: { rescanMs: 50 },
  });

  it('the keeper meets a 404 handshake, keeps the session alive by polling, and admins are told in /qc status', async () => {
    await listenThenIntercept(env);
    const handshakes = env.sim.requestLog.filter((r) => r.path.endsWith('/handshake'));
    expect(handshakes.length).toBeGreaterThanOrEqual(1);
    expect(handshakes.every((r) => r.status === 404)).toBe(true);
    expect(await env.stack.store.getGatewayFallbacks()).toHaveProperty('no-handshake');
    expect((await env.stack.store.getSession('1001'))?.status).toBe('active');

    await env.slack.command('/qc status', 'U_ADMIN');
    const adminView = await env.slack.waitForEphemeral('U_ADMIN', /not linked|Inspector/);
    expect(JSON.stringify(adminView.blocks)).toMatch(/no `handshake` route/);
    await env.slack.command('/qc status', 'U_DEMO');
    const userView = await env.slack.waitForEphemeral('U_DEMO', /Inspector: 1001/);
    expect(JSON.stringify(userView.blocks)).not.toMatch(/handshake/);
  });
});

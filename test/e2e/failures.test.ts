import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TEAM } from '../../local/stack';
import { GatewayClient } from '../../src/gateway/client';
import { createWorkerHandler } from '../../src/runtime/worker-handler';
import {
  expectNoSecrets,
  gatewayRequests,
  qcJob,
  sqsEvent,
  text,
  until,
  useLocalStack,
  waitForNew,
} from './support';

/**
 * A QC command that fails is answered in words: what happened, and what to do. Each case also
 * checks whether the gateway was called (the simulator's request log) and what the store holds.
 */
const env = useLocalStack();
beforeAll(async () => {
  // A second linked inspector without the QC right (the simulator's 1002).
  await env.stack.store.putLink({
    teamId: LOCAL_TEAM,
    userId: 'U_ADMIN',
    inspectorId: '1002',
    phone: '70002',
    linkedBy: 'U_ADMIN',
    linkedAt: Date.now(),
  });
});

/** `/qc listen` that works, waiting for the phone to be answered (its events are then all in). */
async function listen(agentId: string, user = 'U_DEMO') {
  const since = env.mark();
  await env.slack.command(`/qc listen ${agentId}`, user);
  const result = await waitForNew(env.stack, since, (m) => text(m).includes(`Listening to agent ${agentId}`));
  await env.slack.waitForThread(result, new RegExp(`Phone answered: you are listening to ${agentId}`));
  return result;
}

describe('a QC command that fails is answered in words', () => {
  it('no signed-in session: "sign in first" with a Sign in button; no gateway call', async () => {
    const before = gatewayRequests(env.stack, 'addSupervise', '/1003/').length;
    const since = env.mark();
    // The ack says it at once (no job)…
    const ack = await env.slack.command('/qc listen 2006', 'U_DEMO2');
    expect(ack.json?.text).toMatch(/Inspector 1003 is not signed in to the gateway: sign in first/);
    expect(JSON.stringify(ack.json?.blocks)).toMatch(/"action_id":"qc_open_signin:0"/);
    // …and the worker, which trusts no queue message, says the same to a job that got through.
    await env.stack.queue.send(
      qcJob(env.stack, { op: 'listen', agentId: '2006', inspectorId: '1003', user: 'U_DEMO2' }),
      { groupId: 'inspector-1003', deduplicationId: `no-session-${Date.now()}` },
    );
    const msg = await waitForNew(env.stack, since, (m) => m.ephemeralTo === 'U_DEMO2');
    expect(text(msg)).toMatch(/Inspector 1003 is not signed in to the gateway: sign in first/);
    expect(JSON.stringify(msg.blocks)).toMatch(/"action_id":"qc_open_signin:0"/);
    await env.stack.queue.drained();
    expect(gatewayRequests(env.stack, 'addSupervise', '/1003/')).toHaveLength(before);
    expect(env.stack.slack.store.channelMessages('C_QC').slice(since)).toEqual([]);
  });

  it("unknown agent (2999): the gateway's own retcode 900-004, explained in the channel", async () => {
    await env.signIn('U_DEMO', '1001');
    const since = env.mark();
    await env.slack.command('/qc listen 2999');
    const msg = await waitForNew(env.stack, since, (m) => /could not listen to agent 2999/.test(text(m)));
    expect(msg.ephemeralTo).toBeUndefined();
    expect(text(msg)).toMatch(/Retcode 900-004: The gateway has no information for that agent/);
    expect(text(msg)).toMatch(/Check the agent ID and that the agent is signed in/);
    const calls = gatewayRequests(env.stack, 'addSupervise', '/2999');
    expect(calls.map((c) => c.retcode)).toEqual(['900-004']);
    expect((await env.stack.store.getMonitoring('1001'))?.agentId).toBeUndefined();
  });

  it('platform down (900-001, 900-003): "try again in a minute"; the session and monitoring stay as they were', async () => {
    for (const retcode of ['900-001', '900-003']) {
      env.sim.injectFault({ interface: 'addSupervise', kind: 'retcode', retcode });
      const since = env.mark();
      await env.slack.command('/qc listen 2005');
      const msg = await waitForNew(env.stack, since, (m) => text(m).includes(`Retcode ${retcode}`));
      expect(text(msg)).toMatch(/could not listen to agent 2005/);
      expect(text(msg)).toMatch(/CTI platform (is unavailable|resource is unavailable)/);
      expect(text(msg)).toMatch(/Try again in a minute/);
      expect(JSON.stringify(msg.blocks)).not.toMatch(/qc_open_signin/);
      expect((await env.stack.store.getSession('1001'))?.status).toBe('active');
      expect((await env.stack.store.getMonitoring('1001'))?.agentId).toBeUndefined();
    }
    expect(gatewayRequests(env.stack, 'addSupervise', '/2005').map((c) => c.retcode)).toEqual([
      '900-001',
      '900-003',
    ]);
    // Once the platform is back, the same command works.
    await listen('2005');
  });

  it('no QC permission (900-002): explained, with who to ask', async () => {
    await env.signIn('U_ADMIN', '1002');
    const since = env.mark();
    await env.slack.command('/qc listen 2006', 'U_ADMIN');
    const msg = await waitForNew(env.stack, since, (m) => /could not listen to agent 2006/.test(text(m)));
    expect(text(msg)).toMatch(/Retcode 900-002: You have no QC permission on the CTI platform/);
    expect(text(msg)).toMatch(
      /Ask your CTI administrator to give your inspector ID the quality-control right/,
    );
    expect(gatewayRequests(env.stack, 'addSupervise', '/1002/').map((c) => c.retcode)).toEqual(['900-002']);
    expect((await env.stack.store.getSession('1002'))?.status).toBe('active');
  });

  it('intercept while monitoring another agent: "you are monitoring 2005: stop that first"; no gateway call', async () => {
    const before = gatewayRequests(env.stack, 'intercept').length;
    const since = env.mark();
    await env.slack.command('/intercept 2006');
    const msg = await waitForNew(env.stack, since, (m) => m.ephemeralTo === 'U_DEMO');
    expect(text(msg)).toMatch(/You are monitoring 2005: stop that first/);
    expect(JSON.stringify(msg.blocks)).toMatch(/stop:2005/);
    expect(JSON.stringify(msg.blocks)).not.toMatch(/listen:2006/);
    await env.stack.queue.drained();
    expect(gatewayRequests(env.stack, 'intercept')).toHaveLength(before);
    expect(await env.stack.store.getMonitoring('1001')).toMatchObject({ agentId: '2005', mode: 'listen' });
  });

  it('gateway timeout: "may or may not have happened — check /qc status"', async () => {
    env.sim.injectFault({ interface: 'intercept', kind: 'hang' });
    const since = env.mark();
    await env.slack.command('/intercept 2005');
    const msg = await waitForNew(
      env.stack,
      since,
      (m) => /intercept the call of agent 2005/.test(text(m)),
      15_000,
    );
    expect(msg.ephemeralTo).toBeUndefined();
    expect(text(msg)).toMatch(/The gateway did not answer within 5 s/);
    expect(text(msg)).toMatch(/It may have happened anyway: check \/qc status before you try again/);
    // One attempt, never repeated: intercept is not idempotent.
    expect(gatewayRequests(env.stack, 'intercept').map((c) => c.fault)).toEqual(['hang']);
    // Our monitoring state is left alone (we do not know what happened).
    expect(await env.stack.store.getMonitoring('1001')).toMatchObject({ agentId: '2005', mode: 'listen' });
    await until('the audit row of the timed-out intercept', async () => {
      const audit = await env.stack.store.listDay(LOCAL_TEAM, new Date().toISOString().slice(0, 10));
      return audit.some((a) => a.operation === 'intercept' && a.outcome === 'transport:timeout');
    });
  }, 30_000);

  it('connection reset by the gateway: "the connection broke … may have happened anyway"', async () => {
    env.sim.injectFault({ interface: 'intercept', kind: 'reset' });
    const before = gatewayRequests(env.stack, 'intercept').length;
    const since = env.mark();
    await env.slack.command('/intercept 2005');
    const msg = await waitForNew(env.stack, since, (m) => /intercept the call of agent 2005/.test(text(m)));
    expect(text(msg)).toMatch(/The connection to the gateway broke before it answered/);
    expect(text(msg)).toMatch(/It may have happened anyway: check \/qc status/);
    expect(
      gatewayRequests(env.stack, 'intercept')
        .slice(before)
        .map((c) => c.fault),
    ).toEqual(['reset']);
    expect(await env.stack.store.getMonitoring('1001')).toMatchObject({ agentId: '2005', mode: 'listen' });
  });

  it('gateway unreachable (connection refused): "try again in a minute"; nothing reached the gateway', async () => {
    // A worker whose gateway address answers nothing: a port that was just closed.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const deadGateway = new GatewayClient({ baseUrl: `https://127.0.0.1:${port}`, logger: env.logs });
    const worker = createWorkerHandler({ ...env.stack.deps, gateway: deadGateway });
    const before = gatewayRequests(env.stack, 'intercept').length;
    const since = env.mark();
    try {
      const result = await worker(
        sqsEvent(qcJob(env.stack, { op: 'intercept', agentId: '2005', inspectorId: '1001', user: 'U_DEMO' })),
      );
      expect(result.batchItemFailures).toEqual([]);
    } finally {
      await deadGateway.destroy();
    }
    const msg = await waitForNew(env.stack, since, (m) => /intercept the call of agent 2005/.test(text(m)));
    expect(text(msg)).toMatch(
      /The gateway refused the connection \(is it running, and is the address right\?\)/,
    );
    expect(text(msg)).toMatch(/Try again in a minute/);
    expect(text(msg)).not.toMatch(/may have happened/);
    expect(gatewayRequests(env.stack, 'intercept')).toHaveLength(before);
    expect(await env.stack.store.getMonitoring('1001')).toMatchObject({ agentId: '2005', mode: 'listen' });
  });

  it('one 100-006 that the next check disproves (a load balancer misrouted it): the session stays, the user is told it is alive', async () => {
    const sessionBefore = await env.stack.store.getSession('1001');
    env.sim.injectFault({ interface: 'intercept', kind: 'retcode', retcode: '100-006', count: 1 });
    const since = env.mark();
    await env.slack.command('/intercept 2005');
    const msg = await waitForNew(env.stack, since, (m) =>
      /could not intercept the call of agent 2005/.test(text(m)),
    );
    expect(text(msg)).toMatch(/your session is still alive/);
    expect(text(msg)).not.toMatch(/Sign in again with \/qc signin/);
    expect(await env.stack.store.getSession('1001')).toMatchObject({
      status: 'active',
      sessionId: sessionBefore?.sessionId,
    });
    expect(gatewayRequests(env.stack, 'getAgentStatus', '/1001/').at(-1)?.retcode).toBe('0');
  });

  it('100-006 on intercept: the session ends in the store, the user is told to sign in again, and a later command says "sign in"', async () => {
    await env.guids.note('1001');
    const sessionBefore = await env.stack.store.getSession('1001');
    env.sim.injectFault({ interface: 'intercept', kind: 'retcode', retcode: '100-006' });
    // The session really is gone: the check that follows a 100-006 says so too.
    env.sim.injectFault({ interface: 'getAgentStatus', kind: 'retcode', retcode: '100-006', count: 1 });
    const before = gatewayRequests(env.stack, 'intercept').length;
    const since = env.mark();
    await env.slack.command('/intercept 2005');
    const msg = await waitForNew(env.stack, since, (m) =>
      /could not intercept the call of agent 2005/.test(text(m)),
    );
    expect(text(msg)).toMatch(/Retcode 100-006: Your gateway session expired or was replaced/);
    expect(text(msg)).toMatch(/Sign in again with \/qc signin/);
    expect(JSON.stringify(msg.blocks)).toMatch(/"action_id":"qc_open_signin:0"/);
    const session = await env.stack.store.getSession('1001');
    expect(session).toMatchObject({
      status: 'ended',
      sessionId: sessionBefore?.sessionId,
      endedReason: 'gateway 100-006 on intercept',
    });
    expect(session?.guid).toBeUndefined(); // a dead credential is not kept

    // The next command is answered in its ack: sign in first (and why the last session ended).
    const refusal = (await env.slack.command('/intercept 2005')).json ?? {};
    expect(String(refusal.text)).toMatch(/Inspector 1001 is not signed in to the gateway: sign in first/);
    expect(JSON.stringify(refusal.blocks)).toMatch(/gateway 100-006 on intercept/);
    expect(JSON.stringify(refusal.blocks)).toMatch(/"action_id":"qc_open_signin:0"/);
    await env.stack.queue.drained();
    expect(
      gatewayRequests(env.stack, 'intercept')
        .slice(before)
        .map((c) => c.retcode),
    ).toEqual(['100-006']);
  });

  it('100-006 on listen: the same (session ended, sign in again)', async () => {
    await env.signIn('U_DEMO2', '1003');
    env.sim.injectFault({ interface: 'addSupervise', kind: 'retcode', retcode: '100-006' });
    env.sim.injectFault({ interface: 'getAgentStatus', kind: 'retcode', retcode: '100-006', count: 1 });
    const since = env.mark();
    await env.slack.command('/qc listen 2006', 'U_DEMO2');
    const msg = await waitForNew(env.stack, since, (m) => /could not listen to agent 2006/.test(text(m)));
    expect(text(msg)).toMatch(/Retcode 100-006: .*Sign in again with \/qc signin/);
    await until('the session of 1003 to end', async () => {
      const s = await env.stack.store.getSession('1003');
      return s?.status === 'ended' ? s : undefined;
    });
    const refusal = (await env.slack.command('/qc listen 2006', 'U_DEMO2')).json ?? {};
    expect(String(refusal.text)).toMatch(/not signed in to the gateway: sign in first/);
    await env.stack.queue.drained();
    expect(gatewayRequests(env.stack, 'addSupervise', '/1003/').map((c) => c.retcode)).toEqual(['100-006']);
  });

  it('the logs of all of the above hold no Guid and no password', async () => {
    await env.guids.note('1001', '1002', '1003');
    expectNoSecrets(env.stack, env.logs, env.guids.guids);
  });
});

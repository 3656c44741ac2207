import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CHANNEL } from '../../local/stack';
import { IDEMPOTENCY_TTL_SECONDS } from '../../src/qc/process-job';
import { createWorkerHandler } from '../../src/runtime/worker-handler';
import { gatewayRequests, qcJob, sqsEvent, text, useLocalStack, waitForNew } from './support';

/**
 * A worker that died between its idempotency claim and its finish leaves the claim "in progress".
 * Once the claim is older than the worker's timeout (30 s) it is stale: the redelivery tells the
 * user the outcome is unknown, never repeats the gateway call, and frees the alert it claimed.
 * (The same with a real kill -9 of the local stack: stale-claim-kill.test.ts.)
 */
const env = useLocalStack();
beforeAll(async () => {
  await env.signIn('U_DEMO', '1001');
  const since = env.mark();
  await env.slack.command('/qc listen 2005');
  await waitForNew(env.stack, since, (m) => /Listening to agent 2005/.test(text(m)));
  await env.stack.queue.drained();
});

let alerts = 0;
async function alertFor(agentId: string) {
  // A distinct body each time: the same signed alert twice is one alert.
  const reason = `Angry customer #${++alerts}`;
  const res = await env.slack.postAlert({ channel: LOCAL_CHANNEL, agentId, reason });
  expect(res.status).toBe(201);
  return String(res.json?.alert_id);
}

/** What the dead worker left behind: its claim (taken `ageMs` ago) and the alert it claimed. */
async function crashedIntercept(ageMs: number) {
  const alertId = await alertFor('2005');
  const job = {
    ...qcJob(env.stack, { op: 'intercept', agentId: '2005', inspectorId: '1001', user: 'U_DEMO' }),
    alertId,
  };
  const startedAt = Date.now() - ageMs;
  expect(await env.stack.store.claim(job.requestId, startedAt, IDEMPOTENCY_TTL_SECONDS)).toEqual({
    state: 'new',
  });
  const alert = await env.stack.store.alerts.getAlert(alertId);
  if (!alert) throw new Error('no alert');
  await env.stack.store.alerts.saveAlert({
    ...alert,
    interceptedBy: { userId: 'U_DEMO', inspectorId: '1001', at: startedAt },
  });
  return { job, alertId };
}

const unknown = /outcome is unknown.*`\/qc status`/s;

describe('a claim left "in progress" by a worker that died', () => {
  it('younger than the worker timeout: the redelivery is skipped quietly (the first worker may still run)', async () => {
    const { job, alertId } = await crashedIntercept(5_000);
    const since = env.mark();
    expect(await createWorkerHandler(env.stack.deps)(sqsEvent(job))).toEqual({ batchItemFailures: [] });
    expect(env.stack.slack.store.messages.slice(since).filter((m) => m.ephemeralTo === 'U_DEMO')).toEqual([]);
    expect((await env.stack.store.alerts.getAlert(alertId))?.interceptedBy?.userId).toBe('U_DEMO');
    expect(gatewayRequests(env.stack, 'intercept')).toHaveLength(0);
  });

  it('older than the worker timeout: "outcome unknown, check /qc status", no gateway call, the alert is freed', async () => {
    const { job, alertId } = await crashedIntercept(31_000);
    const since = env.mark();
    // Two redeliveries at once: only one takes the stale claim over.
    const [a, b] = [createWorkerHandler(env.stack.deps), createWorkerHandler(env.stack.deps)];
    await Promise.all([a(sqsEvent(job, 'm-1')), b(sqsEvent(job, 'm-1'))]);
    const told = await waitForNew(
      env.stack,
      since,
      (m) => m.ephemeralTo === 'U_DEMO' && unknown.test(text(m)),
    );
    expect(text(told)).toMatch(/intercept 2005/);
    expect(text(told)).toMatch(/not sent again/);
    await env.stack.queue.drained();
    expect(
      env.stack.slack.store.messages.slice(since).filter((m) => unknown.test(text(m))),
      'one answer for two redeliveries',
    ).toHaveLength(1);
    expect(gatewayRequests(env.stack, 'intercept')).toHaveLength(0);
    expect((await env.stack.store.alerts.getAlert(alertId))?.interceptedBy).toBeUndefined();
    // A third delivery finds the claim finished: skipped.
    const later = env.mark();
    await a(sqsEvent(job));
    expect(env.stack.slack.store.messages.slice(later).filter((m) => unknown.test(text(m)))).toEqual([]);
  });
});

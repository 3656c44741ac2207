import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CHANNEL, LOCAL_TEAM } from '../../local/stack';
import type { Job } from '../../src/queue/jobs';
import { InProcessFifoQueue } from '../../src/queue/memory';
import { createWorkerHandler } from '../../src/runtime/worker-handler';
import { gatewayRequests, qcJob, sqsEvent, text, useLocalStack, waitForNew } from './support';

/**
 * A job that waited in the queue longer than QC_JOB_MAX_AGE_MS (60 s) is refused before the gateway:
 * a take-over, a release or a sign-out must never run minutes later against another call.
 */
const env = useLocalStack();
beforeAll(() => env.signIn('U_DEMO', '1001'));

const old = <J extends Job>(job: J, ageMs: number): J => ({ ...job, requestedAt: Date.now() - ageMs });

function otherJob(kind: 'release-call' | 'signout'): Job {
  const base = {
    v: 1 as const,
    requestId: `expiry-${kind}-${randomUUID()}`,
    slack: {
      teamId: LOCAL_TEAM,
      userId: 'U_DEMO',
      channelId: LOCAL_CHANNEL,
      responseUrl: env.stack.slack.newResponseUrl({ channel: LOCAL_CHANNEL, user: 'U_DEMO' }),
    },
    requestedAt: Date.now(),
  };
  return kind === 'release-call'
    ? { ...base, kind, callId: '1456401416-3', inspectorId: '1001' }
    : { ...base, kind };
}

describe('a job that waited too long in the queue', () => {
  it('qc, release-call and signout jobs 2 min old: no gateway call, the user is told in words', async () => {
    const worker = createWorkerHandler(env.stack.deps);
    const before = {
      listen: gatewayRequests(env.stack, 'addSupervise').length,
      drop: gatewayRequests(env.stack, 'forceDropCall').length,
      logout: gatewayRequests(env.stack, 'logout').length,
    };
    const jobs = [
      old(qcJob(env.stack, { op: 'listen', agentId: '2005', inspectorId: '1001', user: 'U_DEMO' }), 125_000),
      old(otherJob('release-call'), 125_000),
      old(otherJob('signout'), 125_000),
    ];
    for (const job of jobs) {
      const since = env.mark();
      expect(await worker(sqsEvent(job))).toEqual({ batchItemFailures: [] });
      const told = await waitForNew(env.stack, since, (m) => m.ephemeralTo === 'U_DEMO');
      expect(text(told)).toMatch(
        /this request waited 12\d s in the queue and was not run; send it again if you still want it/,
      );
    }
    expect(gatewayRequests(env.stack, 'addSupervise')).toHaveLength(before.listen);
    expect(gatewayRequests(env.stack, 'forceDropCall')).toHaveLength(before.drop);
    expect(gatewayRequests(env.stack, 'logout')).toHaveLength(before.logout);
    expect((await env.stack.store.getSession('1001'))?.status).toBe('active');
    const audit = await env.stack.store.listDay(LOCAL_TEAM, new Date().toISOString().slice(0, 10));
    expect(audit.filter((a) => a.outcome === 'expired').map((a) => a.operation)).toEqual(
      expect.arrayContaining(['listen', 'release-call', 'signout']),
    );
  });

  it('a job a few seconds old still runs', async () => {
    const worker = createWorkerHandler(env.stack.deps);
    const since = env.mark();
    const job = old(
      qcJob(env.stack, { op: 'listen', agentId: '2005', inspectorId: '1001', user: 'U_DEMO' }),
      5_000,
    );
    await worker(sqsEvent(job));
    await waitForNew(env.stack, since, (m) => /Listening to agent 2005/.test(text(m)));
    expect(gatewayRequests(env.stack, 'addSupervise', '/2005')).toHaveLength(1);
  });

  it('jobs that never call the gateway (status) run whatever their age', async () => {
    const worker = createWorkerHandler(env.stack.deps);
    const since = env.mark();
    const job: Job = { ...otherJob('signout'), kind: 'status', requestedAt: Date.now() - 600_000 };
    await worker(sqsEvent(job));
    const told = await waitForNew(env.stack, since, (m) => m.ephemeralTo === 'U_DEMO');
    expect(text(told)).not.toMatch(/waited/);
  });
});

describe('the in-process queue keeps a message no longer than its retention', () => {
  it('a message stuck behind its group longer than the retention is dropped, not delivered', async () => {
    let now = 1_000_000;
    const delivered: string[] = [];
    let release: () => void = () => {};
    const blocker = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queue = new InProcessFifoQueue(
      async (event) => {
        const job = JSON.parse(event.Records[0]?.body ?? '{}') as Job;
        delivered.push(job.requestId);
        if (job.requestId === 'first') await blocker;
        return { batchItemFailures: [] };
      },
      { now: () => now, retentionMs: 60_000 },
    );
    const job = (requestId: string): Job => ({ ...otherJob('signout'), requestId, kind: 'status' });
    await queue.send(job('first'), { groupId: 'g', deduplicationId: 'first' });
    await queue.send(job('second'), { groupId: 'g', deduplicationId: 'second' });
    now += 61_000;
    release();
    await queue.drained();
    expect(delivered).toEqual(['first']);
    expect(queue.expired).toBe(1);
  });
});

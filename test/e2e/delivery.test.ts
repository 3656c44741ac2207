import { beforeAll, describe, expect, it } from 'vitest';
import { dmChannelId } from '../../local/slack-api/index';
import { LOCAL_CHANNEL } from '../../local/stack';
import { groupIdOf } from '../../src/queue/jobs';
import { InProcessFifoQueue } from '../../src/queue/memory';
import type { SqsEvent } from '../../src/queue/types';
import { createWorkerHandler } from '../../src/runtime/worker-handler';
import { expectNoSecrets, gatewayRequests, qcJob, sqsEvent, text, until, useLocalStack } from './support';

/**
 * SQS delivers at least once: the same message can reach the worker twice (a redelivery after a
 * timeout, two pollers). One Slack request must still make one gateway call and one channel post.
 */
const env = useLocalStack();
beforeAll(() => env.signIn('U_DEMO', '1001'));

const posts = (match: RegExp) =>
  env.stack.slack.store.channelMessages(LOCAL_CHANNEL).filter((m) => match.test(text(m)));
const answersTo = (user: string, since: number) =>
  env.stack.slack.store.messages
    .slice(since)
    .filter((m) => m.ephemeralTo === user || m.channel === dmChannelId(user));
const skipped = () => env.logs.lines.filter((l) => l.includes('duplicate delivery skipped')).length;

describe('the same queue message delivered twice', () => {
  it('one after the other: one gateway call, one channel post, the second delivery is skipped quietly', async () => {
    const worker = createWorkerHandler(env.stack.deps);
    const event = sqsEvent(
      qcJob(env.stack, { op: 'listen', agentId: '2005', inspectorId: '1001', user: 'U_DEMO' }),
    );
    const since = env.stack.slack.store.messages.length;
    const skippedBefore = skipped();

    expect(await worker(event)).toEqual({ batchItemFailures: [] });
    const redelivered: SqsEvent = {
      Records: event.Records.map((r) => ({
        ...r,
        attributes: { ...r.attributes, ApproximateReceiveCount: '2' },
      })),
    };
    expect(await worker(redelivered)).toEqual({ batchItemFailures: [] });

    expect(gatewayRequests(env.stack, 'addSupervise', '/2005')).toHaveLength(1);
    expect(posts(/Listening to agent 2005/)).toHaveLength(1);
    expect(answersTo('U_DEMO', since).filter((m) => m.ephemeralTo)).toEqual([]);
    expect(skipped()).toBe(skippedBefore + 1);
    const audit = await env.stack.store.listDay('T_LOCAL', new Date().toISOString().slice(0, 10));
    expect(audit.filter((a) => a.operation === 'listen')).toHaveLength(1);
  });

  it('both at once (two workers): still one gateway call and one post', async () => {
    const a = createWorkerHandler(env.stack.deps);
    const b = createWorkerHandler(env.stack.deps);
    const job = qcJob(env.stack, { op: 'intercept', agentId: '2005', inspectorId: '1001', user: 'U_DEMO' });
    // Waiting for the listen to be confirmed is not needed: our monitoring record says "listening".
    const skippedBefore = skipped();
    await Promise.all([a(sqsEvent(job, 'm-1')), b(sqsEvent(job, 'm-1'))]);
    expect(gatewayRequests(env.stack, 'intercept')).toHaveLength(1);
    expect(posts(/Intercepted the call of agent 2005/)).toHaveLength(1);
    expect(skipped()).toBe(skippedBefore + 1);
    const result = posts(/Intercepted the call of agent 2005/)[0];
    if (!result) throw new Error('no result');
    await env.slack.waitForThread(result, /Talking: caller/);
    // The customer hangs up: the inspector is free again.
    env.stack.sim?.sim.endCall('2005');
    await env.slack.waitForThread(result, /You are idle again/);
    await until('the inspector to be free', async () => !(await env.stack.store.getMonitoring('1001'))?.mode);
    env.stack.sim?.sim.startCall('2005');
  });

  it("the queue's own redelivery (the worker's container died after the work): one gateway call", async () => {
    const worker = createWorkerHandler(env.stack.deps);
    let receives = 0;
    // As SQS does when the Lambda times out after doing the work: the message comes back.
    const queue = new InProcessFifoQueue(async (event) => {
      receives++;
      const result = await worker(event);
      if (receives === 1) throw new Error('the function timed out after the gateway call');
      return result;
    });
    const job = qcJob(env.stack, { op: 'whisper', agentId: '2006', inspectorId: '1001', user: 'U_DEMO' });
    await queue.send(job, { groupId: groupIdOf(job), deduplicationId: job.requestId });
    await queue.drained();
    expect(receives).toBe(2);
    expect(queue.deadLetters).toEqual([]);
    expect(gatewayRequests(env.stack, 'requestWhisperAgent', '2006')).toHaveLength(1);
    expect(posts(/Whispering to agent 2006/)).toHaveLength(1);
  });

  it('a job that crashed after its gateway call is answered in words and never called again', async () => {
    await until(
      'the whisper to settle',
      async () => (await env.stack.store.getMonitoring('1001'))?.mode === 'whisper',
    );
    // The store fails once the gateway call is done (the second monitoring write: settling the result).
    let writes = 0;
    const store = new Proxy(env.stack.store, {
      get(target, prop) {
        if (prop === 'putMonitoring') {
          return (...args: Parameters<typeof target.putMonitoring>) => {
            writes++;
            if (writes === 2) return Promise.reject(new Error('DynamoDB is unavailable'));
            return target.putMonitoring(...args);
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const worker = createWorkerHandler({ ...env.stack.deps, store });
    const job = qcJob(env.stack, { op: 'stop', agentId: '2006', inspectorId: '1001', user: 'U_DEMO' });
    const since = env.stack.slack.store.messages.length;
    expect(await worker(sqsEvent(job))).toEqual({ batchItemFailures: [] });
    expect(await worker(sqsEvent(job))).toEqual({ batchItemFailures: [] });
    expect(gatewayRequests(env.stack, 'requestStopWhisperAgent', '2006')).toHaveLength(1);
    expect(posts(/Stopped monitoring agent 2006/)).toHaveLength(1);
    const told = answersTo('U_DEMO', since).filter((m) => /internal error/.test(text(m)));
    expect(told.map(text)).toEqual([expect.stringMatching(/Check `\/qc status` before trying again/)]);
    expect(env.logs.lines.filter((l) => l.includes('"msg":"job failed"'))).toHaveLength(1);
  });

  it('no Guid or password in the logs', async () => {
    await env.guids.note('1001');
    expectNoSecrets(env.stack, env.logs, env.guids.guids);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { Notifier } from '../../src/qc/ports';
import type { Job } from '../../src/queue/jobs';
import { InProcessFifoQueue } from '../../src/queue/memory';
import type { SqsEvent } from '../../src/queue/types';
import type { WorkerDeps } from '../../src/runtime/worker-deps';
import { createWorkerHandler } from '../../src/runtime/worker-handler';
import type { Store } from '../../src/store/types';
import { gatewayRequests, qcJob, sqsEvent, text, useLocalStack, waitForNew } from '../e2e/support';

/**
 * The worker reports to SQS (`batchItemFailures`) only the failures worth a retry: transient Slack or
 * DynamoDB errors that happened before any gateway request. A job whose gateway request may have been
 * carried out is never retried; it is answered in words. The last receive goes to the dead-letter queue.
 */
const env = useLocalStack();
beforeAll(() => env.signIn('U_DEMO', '1001'));

const throttled = () =>
  Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
    name: 'ThrottlingException',
    $retryable: { throttling: true },
    $metadata: { httpStatusCode: 400 },
  });
const slackDown = () =>
  Object.assign(new Error('A request error occurred: socket hang up'), {
    code: 'slack_webapi_request_error',
  });

/** `target` with method `name` failing `times` times with `error()`, then working. */
function failing<T extends object>(target: T, name: keyof T, times: number, error: () => Error): T {
  let left = times;
  return new Proxy(target, {
    get(t, prop) {
      const value: unknown = Reflect.get(t, prop, t);
      if (typeof value !== 'function') return value;
      if (prop === name)
        return (...args: unknown[]) => {
          if (left > 0) {
            left--;
            return Promise.reject(error());
          }
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      return value.bind(t);
    },
  });
}

const withStore = (store: Store): WorkerDeps => ({ ...env.stack.deps, store });
const withNotifier = (notifier: Notifier): WorkerDeps => ({ ...env.stack.deps, notifier });
const listen = (agentId: string) =>
  qcJob(env.stack, { op: 'listen', agentId, inspectorId: '1001', user: 'U_DEMO' });
const receive = (job: Job, count: number, messageId = `m-${job.requestId}`): SqsEvent => {
  const event = sqsEvent(job, messageId);
  for (const r of event.Records) r.attributes = { ...r.attributes, ApproximateReceiveCount: String(count) };
  return event;
};
const stopAll = async () => {
  const since = env.mark();
  await env.slack.command('/qc stop 2005');
  await waitForNew(env.stack, since, (m) => /Stopped monitoring agent 2005|not monitoring/.test(text(m)));
  await env.stack.queue.drained();
};

describe('batchItemFailures', () => {
  it('DynamoDB throttles the claim: reported for a retry; the retry makes the one gateway call', async () => {
    const job = listen('2005');
    const before = gatewayRequests(env.stack, 'addSupervise', '/2005').length;
    const flaky = createWorkerHandler(withStore(failing(env.stack.store, 'claim', 1, throttled)));
    expect(await flaky(receive(job, 1))).toEqual({
      batchItemFailures: [{ itemIdentifier: `m-${job.requestId}` }],
    });
    expect(gatewayRequests(env.stack, 'addSupervise', '/2005')).toHaveLength(before);
    const since = env.mark();
    expect(await createWorkerHandler(env.stack.deps)(receive(job, 2))).toEqual({ batchItemFailures: [] });
    await waitForNew(env.stack, since, (m) => /Listening to agent 2005/.test(text(m)));
    expect(gatewayRequests(env.stack, 'addSupervise', '/2005')).toHaveLength(before + 1);
    await stopAll();
  });

  it('DynamoDB throttles a read before the gateway: the claim is given back and the job reported', async () => {
    const job = listen('2005');
    const before = gatewayRequests(env.stack, 'addSupervise', '/2005').length;
    const flaky = createWorkerHandler(withStore(failing(env.stack.store, 'getSession', 1, throttled)));
    const since = env.mark();
    expect((await flaky(receive(job, 1))).batchItemFailures).toHaveLength(1);
    expect(env.stack.slack.store.messages.slice(since).filter((m) => /internal error/.test(text(m)))).toEqual(
      [],
    );
    expect(await createWorkerHandler(env.stack.deps)(receive(job, 2))).toEqual({ batchItemFailures: [] });
    await waitForNew(env.stack, since, (m) => /Listening to agent 2005/.test(text(m)));
    expect(gatewayRequests(env.stack, 'addSupervise', '/2005')).toHaveLength(before + 1);
    await stopAll();
  });

  it('Slack fails after the gateway call: never reported (no second gateway call), answered in words', async () => {
    const job = listen('2005');
    const before = gatewayRequests(env.stack, 'addSupervise', '/2005').length;
    const worker = createWorkerHandler(
      withNotifier(failing(env.stack.deps.notifier, 'report', 1, slackDown)),
    );
    const since = env.mark();
    expect(await worker(receive(job, 1))).toEqual({ batchItemFailures: [] });
    expect(await createWorkerHandler(env.stack.deps)(receive(job, 2))).toEqual({ batchItemFailures: [] });
    expect(gatewayRequests(env.stack, 'addSupervise', '/2005')).toHaveLength(before + 1);
    const told = await waitForNew(env.stack, since, (m) => /internal error/.test(text(m)));
    expect(text(told)).toMatch(/may or may not have acted/);
    await stopAll();
  });

  it('a bug (not transient) before the gateway: not reported, the user hears nothing was sent', async () => {
    const job = listen('2005');
    const bug = () => new TypeError("Cannot read properties of undefined (reading 'x')");
    const worker = createWorkerHandler(withStore(failing(env.stack.store, 'getSession', 1, bug)));
    const since = env.mark();
    expect(await worker(receive(job, 1))).toEqual({ batchItemFailures: [] });
    const told = await waitForNew(env.stack, since, (m) => /internal error/.test(text(m)));
    expect(text(told)).toMatch(/Nothing was sent to the gateway/);
  });

  it('the last receive fails transiently: reported (→ dead-letter queue) and the user is told', async () => {
    const job = listen('2006');
    const worker = createWorkerHandler(withStore(failing(env.stack.store, 'getSession', 1, throttled)));
    const since = env.mark();
    expect((await worker(receive(job, 3))).batchItemFailures).toHaveLength(1);
    const told = await waitForNew(env.stack, since, (m) => /internal error/.test(text(m)));
    expect(text(told)).toMatch(/Nothing was sent to the gateway/);
    expect(gatewayRequests(env.stack, 'addSupervise', '/2006')).toHaveLength(0);
  });

  it('the in-process queue redelivers a reported job and dead-letters it after maxReceives', async () => {
    const job = listen('2006');
    const worker = createWorkerHandler(withStore(failing(env.stack.store, 'claim', 99, throttled)));
    let receives = 0;
    const queue = new InProcessFifoQueue(
      (event) => {
        receives++;
        return worker(event);
      },
      { maxReceives: 3 },
    );
    await queue.send(job, { groupId: 'g', deduplicationId: job.requestId });
    await queue.drained();
    expect(receives).toBe(3);
    expect(queue.deadLetters.map((d) => (JSON.parse(d.body) as Job).requestId)).toEqual([job.requestId]);
  });
});

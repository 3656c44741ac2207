import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import type { StoredMessage } from '../../local/slack-api/store';
import {
  LOCAL_CHANNEL,
  LOCAL_TEAM,
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
} from '../../local/stack';
import type { Simulator } from '../../simulator/index';
import type { QcOperation } from '../../src/qc/model';
import type { Gateway } from '../../src/qc/ports';
import type { Job } from '../../src/queue/jobs';
import type { SqsEvent } from '../../src/queue/types';
import { captureLogger } from '../helpers/log-capture';
import { SlackDriver } from './driver';

/** One local stack for a test file, with what the tests drive it by. */
export interface LocalStackFixture {
  /** Every log line of the stack (to search for secrets); there from the start. */
  readonly logs: ReturnType<typeof captureLogger>;
  /** The rest is there once the file's first `beforeAll` has run. */
  readonly stack: LocalStack;
  readonly slack: SlackDriver;
  readonly guids: GuidWatch;
  /** The stack's simulator (throws when the stack runs without one). */
  readonly sim: Simulator;
  /** How many messages the fake Slack holds now (a mark for `waitForNew`, `messagesSince`). */
  mark(): number;
  /** Signs `user` in through the modal, expects inspector `inspectorId`, and notes its Guid. */
  signIn(user: string, inspectorId: string): Promise<void>;
}

/**
 * Starts a local stack before the file's tests (`beforeAll`; register the file's own setup after this
 * call, it runs after the start) and closes it after them. The simulator holds polls 100 ms and the keeper
 * rescans every 100 ms unless `options` says otherwise; the logger is the fixture's `logs`.
 */
export function useLocalStack(options: Omit<LocalStackOptions, 'logger'> = {}): LocalStackFixture {
  const logs = captureLogger();
  let started: { stack: LocalStack; slack: SlackDriver; guids: GuidWatch } | undefined;
  const get = () => {
    if (!started) throw new Error('the local stack is not started (useLocalStack runs in beforeAll)');
    return started;
  };
  beforeAll(async () => {
    const stack = await startLocalStack({
      simulator: { pollHoldMs: 100 },
      keeper: { rescanMs: 100 },
      ...options,
      logger: logs,
    });
    // Slack's 3 s: trigger_ids expire and late acks are flagged (stack.slack.lateAcks()).
    stack.slack.setDeadlines(true);
    started = { stack, slack: new SlackDriver(stack), guids: new GuidWatch(stack) };
  });
  afterAll(async () => {
    await started?.stack.close();
  });
  return {
    logs,
    get stack() {
      return get().stack;
    },
    get slack() {
      return get().slack;
    },
    get guids() {
      return get().guids;
    },
    get sim() {
      const sim = get().stack.sim?.sim;
      if (!sim) throw new Error('the stack runs without the simulator');
      return sim;
    },
    mark: () => get().stack.slack.store.messages.length,
    async signIn(user, inspectorId) {
      const res = await get().slack.signIn(user);
      expect(JSON.stringify(res.json)).toMatch(new RegExp(`Signed in as inspector \\*${inspectorId}\\*`));
      await get().guids.note(inspectorId);
    },
  };
}

/**
 * Waits until `pick` returns something (not undefined/null/false), re-checking every `intervalMs`.
 * For state with no event to await (DynamoDB records, the simulator's request log); bounded.
 */
export async function until<T>(
  what: string,
  pick: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5_000);
  for (;;) {
    const value = await pick();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 20));
  }
}

/** The simulator's log of gateway requests of one interface, optionally only those whose path names `part`. */
export function gatewayRequests(stack: LocalStack, logName: string, part?: string) {
  const log = stack.sim?.sim.requestLog ?? [];
  return log.filter((r) => r.logName === logName && (part === undefined || r.path.includes(part)));
}

/** Messages added to the fake Slack after index `since` (take `since` from `messages.length`). */
export function messagesSince(stack: LocalStack, since: number): StoredMessage[] {
  return stack.slack.store.messages.slice(since);
}

/** Waits for a message posted after `since` that matches. */
export function waitForNew(
  stack: LocalStack,
  since: number,
  match: (m: StoredMessage) => boolean,
  timeoutMs = 5_000,
): Promise<StoredMessage> {
  return stack.slack.store.waitFor((s) => s.messages.slice(since).find(match), timeoutMs);
}

export const text = (m: StoredMessage) => m.text ?? '';

/** Every line of every reply in the thread of `parent` (the keeper folds events into one edited reply). */
export function threadLines(stack: LocalStack, parent: StoredMessage): string[] {
  return stack.slack.store
    .thread(parent.channel, parent.ts)
    .flatMap((m) => (m.text ?? '').split('\n'))
    .filter((l) => l !== '');
}

/** A QC job exactly as the Slack function enqueues it. */
export function qcJob(
  stack: LocalStack,
  a: { op: QcOperation; agentId: string; inspectorId: string; user: string; channel?: string },
): Job {
  const channel = a.channel ?? LOCAL_CHANNEL;
  return {
    v: 1,
    kind: 'qc',
    op: a.op,
    agentId: a.agentId,
    inspectorId: a.inspectorId,
    requestId: randomUUID().replaceAll('-', ''),
    slack: {
      teamId: LOCAL_TEAM,
      userId: a.user,
      channelId: channel,
      responseUrl: stack.slack.newResponseUrl({ channel, user: a.user }),
    },
    requestedAt: Date.now(),
  };
}

/** The SQS event Lambda hands the worker for one job (same message id on a redelivery). */
export function sqsEvent(job: Job, messageId: string = randomUUID()): SqsEvent {
  return {
    Records: [
      {
        messageId,
        body: JSON.stringify(job),
        attributes: {
          MessageGroupId: job.kind === 'qc' ? `inspector-${job.inspectorId}` : `user-${job.slack.userId}`,
          MessageDeduplicationId: job.requestId,
          ApproximateReceiveCount: '1',
        },
      },
    ],
  };
}

/**
 * The gateway client with its event polls watched: `onPoll(inspector)` runs when a poll starts and
 * returns what to run when it ends. Everything else goes to the real client.
 */
export function watchPolls(gateway: Gateway, onPoll: (inspectorId: string) => () => void): Gateway {
  return new Proxy(gateway, {
    get(target, prop) {
      if (prop === 'pollEvent') {
        const poll: Gateway['pollEvent'] = async (session, opts) => {
          const done = onPoll(session.agentId);
          try {
            return await target.pollEvent(session, opts);
          } finally {
            done();
          }
        };
        return poll;
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * No Guid and no password anywhere a person or a log reader could see it: the captured logs, every
 * Slack message (and its edits) and every Slack API call's arguments.
 */
export function expectNoSecrets(
  stack: LocalStack,
  logs: { text(): string },
  guids: Iterable<string>,
  passwords: readonly string[] = ['simulator'],
): void {
  const seen = {
    logs: logs.text(),
    messages: JSON.stringify(stack.slack.store.messages),
    calls: JSON.stringify(stack.slack.store.calls),
  };
  let checked = 0;
  for (const guid of guids) {
    checked++;
    for (const [where, content] of Object.entries(seen)) {
      expect(content.includes(guid), `a Guid in ${where}`).toBe(false);
      expect(content.includes(guid.slice(0, 8)), `the start of a Guid in ${where}`).toBe(false);
    }
  }
  expect(checked, 'no Guids were collected to check').toBeGreaterThan(0);
  for (const password of passwords) {
    for (const [where, content] of Object.entries(seen)) {
      expect(content.includes(password), `the password in ${where}`).toBe(false);
    }
  }
}

/** Collects the Guids an inspector has held, from the simulator and the store. */
export class GuidWatch {
  readonly guids = new Set<string>();

  constructor(private readonly stack: LocalStack) {}

  async note(...inspectorIds: string[]): Promise<void> {
    for (const id of inspectorIds) {
      const current = this.stack.sim?.sim.currentGuid(id);
      if (current) this.guids.add(current);
      const stored = (await this.stack.store.getSession(id))?.guid;
      if (stored) this.guids.add(stored);
    }
  }
}

/**
 * Resolves once the keeper has nothing of `inspectorId`'s left to post: an event poll that started
 * after now came back empty (held for the whole hold), and the keeper polls only after it has
 * saved and flushed every event it took before. Real-clock simulator only.
 */
export async function keeperIdle(stack: LocalStack, inspectorId: string, holdMs: number): Promise<void> {
  const sim = stack.sim?.sim;
  if (!sim) throw new Error('the stack runs without the simulator');
  const from = sim.now();
  await until(`an empty event poll of ${inspectorId}`, () =>
    sim.requestLog.some(
      (r) =>
        r.logName === 'getAgentEvent' &&
        r.agentId === inspectorId &&
        r.at >= from &&
        r.retcode === '0' &&
        (r.durationMs ?? 0) >= holdMs * 0.8,
    ),
  );
  const session = await stack.store.getSession(inspectorId);
  if (session) expect(await stack.store.listPending(inspectorId, session.sessionId)).toEqual([]);
}

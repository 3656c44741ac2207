/**
 * The setup the burst benches share: N inspectors, each linked to a Slack user and signed in, and N agents
 * on customer calls, on one local stack; every session leased by the keeper and settled before the bench
 * starts measuring. Not measured.
 *
 * Links are written to the store; inspectors sign in through the gateway directly (`signInInspector` with
 * the stack's store, what the sign-in modal's submission runs) rather than via the modal.
 */

import type { RateLimitConfig } from '../local/slack-api/index';
import { LOCAL_TEAM, type LocalStack, startLocalStack } from '../local/stack';
import { defaultScenario, type Simulator } from '../simulator/index';
import { signInInspector } from '../src/qc/signin';
import { SlackDriver } from '../test/e2e/driver';
import { type BenchLogger, benchLogger } from './logger';

const INSPECTOR_FROM = 50_001;
const AGENT_FROM = 40_001;

/** Inspector i (a Slack user, linked) and the agent it works on, i from 1. */
export interface Pair {
  index: number;
  user: string;
  inspector: string;
  agent: string;
  phone: string;
}

export interface ManyInspectors {
  pairs: Pair[];
  log: BenchLogger;
  stack: LocalStack;
  sim: Simulator;
  slack: SlackDriver;
  /**
   * Whether nothing is left in flight: no event waiting at the simulator, every session leased by the
   * keeper with nothing pending, `extra` holding for every pair, and the queue drained.
   */
  settled(extra?: (p: Pair) => Promise<boolean>): Promise<boolean>;
  /** Whether every inspector listens to its agent, confirmed by the events and settled. */
  listensConfirmed(): Promise<boolean>;
  /** Wait until `check` holds (polled every 100 ms); throws naming `what` after `timeoutMs`. */
  until(what: string, check: () => Promise<boolean> | boolean, timeoutMs?: number): Promise<void>;
  /** Like `until`, but a timeout only ends the wait: the correctness check reports what is missing. */
  waitAtMost(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void>;
  /** Mutes the logger and closes the stack. */
  close(): Promise<void>;
}

/** Run `fn` over `items`, at most `limit` at a time. */
export async function inBatches<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += limit) await Promise.all(items.slice(i, i + limit).map(fn));
}

/**
 * Counts the DynamoDB operations of the stack's store (worker, keeper) by command while a tally is open:
 * `start()` opens a fresh one and returns it, `stop()` closes it. The ack path's reads go through their
 * own signed fetch and are not counted.
 */
export function countDynamoOps(stack: LocalStack): { start(): Record<string, number>; stop(): void } {
  let ops: Record<string, number> | undefined;
  stack.db.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (ops) ops[context.commandName ?? '?'] = (ops[context.commandName ?? '?'] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCountOps' },
  );
  return {
    start: () => {
      ops = {};
      return ops;
    },
    stop: () => {
      ops = undefined;
    },
  };
}

/**
 * Starts the stack with `n` extra inspectors and agents (Slack users `${userPrefix}0001`…), links and
 * signs in every inspector and waits until every session is leased and its sign-in events posted.
 * `bench` names the bench in errors. One keeper run for the whole bench (no lease hand-over in the middle
 * of a measurement). On a setup failure the stack is closed.
 */
export async function startManyInspectors(
  bench: string,
  n: number,
  userPrefix: string,
  opts: { slackRateLimits?: boolean | Partial<RateLimitConfig> } = {},
): Promise<ManyInspectors> {
  const pairs: Pair[] = Array.from({ length: n }, (_, i) => ({
    index: i + 1,
    user: `${userPrefix}${String(i + 1).padStart(4, '0')}`,
    inspector: String(INSPECTOR_FROM + i),
    agent: String(AGENT_FROM + i),
    phone: `7${String((INSPECTOR_FROM + i) % 10_000).padStart(4, '0')}`,
  }));
  const log = benchLogger();
  const stack = await startLocalStack({
    logger: log.logger,
    simulator: {
      pollHoldMs: 2_000,
      scenario: {
        ...defaultScenario(),
        extraInspectors: { from: INSPECTOR_FROM, count: n, vdn: 1 },
        extraAgents: { from: AGENT_FROM, count: n, vdn: 1, onCall: true },
      },
    },
    keeper: { rescanMs: 200, runMs: 600_000 },
    ...(opts.slackRateLimits ? { slackRateLimits: opts.slackRateLimits } : {}),
    slackUsers: pairs.map((p) => ({
      id: p.user,
      name: p.user.toLowerCase(),
      realName: `Inspector ${p.inspector}`,
    })),
  });
  const close = async () => {
    log.mute();
    await stack.close();
  };
  const sim = stack.sim?.sim;
  if (!sim) {
    await close();
    throw new Error(`${bench}: the local stack has no simulator`);
  }

  const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${bench}: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const waitAtMost = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs: number) => {
    try {
      await until(what, check, timeoutMs);
    } catch (err) {
      if (!(err instanceof Error && /timed out/.test(err.message))) throw err;
    }
  };
  const settled = async (extra: (p: Pair) => Promise<boolean> = async () => true) => {
    for (const p of pairs) {
      if (sim.peekEvents(p.inspector).length > 0) return false;
      const session = await stack.store.getSession(p.inspector);
      if (!session?.leaseOwner) return false;
      if ((await stack.store.listPending(p.inspector, session.sessionId)).length > 0) return false;
      if (!(await extra(p))) return false;
    }
    await stack.queue.drained();
    return true;
  };
  const listensConfirmed = () =>
    settled(async (p) => {
      const m = await stack.store.getMonitoring(p.inspector);
      return m?.agentId === p.agent && m.mode === 'listen' && m.confirmed && !m.awaitingThreadSince;
    });

  try {
    await inBatches(pairs, 25, async (p) => {
      await stack.store.putLink({
        teamId: LOCAL_TEAM,
        userId: p.user,
        inspectorId: p.inspector,
        phone: p.phone,
        displayName: `Inspector ${p.inspector}`,
        linkedBy: 'U_ADMIN',
        linkedAt: Date.now(),
      });
      const out = await signInInspector(
        { store: stack.store, gateway: stack.deps.gateway, logger: stack.deps.logger, now: Date.now },
        { teamId: LOCAL_TEAM, userId: p.user, password: 'simulator', force: false },
      );
      if (out.kind !== 'signed-in')
        throw new Error(`${bench}: sign-in of ${p.inspector} failed: ${out.kind}`);
    });
    // Rate limited, each sign-in's DM needs a conversations.open (Tier 3, ~50 a minute).
    await until(
      'every session leased by the keeper and its sign-in events posted',
      () => settled(),
      opts.slackRateLimits ? 60_000 + n * 2_000 : 60_000,
    );
  } catch (err) {
    await close();
    throw err;
  }
  return {
    pairs,
    log,
    stack,
    sim,
    slack: new SlackDriver(stack),
    settled,
    listensConfirmed,
    until,
    waitAtMost,
    close,
  };
}

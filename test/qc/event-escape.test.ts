import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynalite';
import type { GatewayClient } from '../../src/gateway/client';
import type { GatewayEvent } from '../../src/gateway/events';
import { Keeper } from '../../src/qc/keeper';
import type { Notifier, QcDeps } from '../../src/qc/ports';
import { receivePush } from '../../src/qc/push-events';
import { DynamoStore } from '../../src/store/dynamo';
import { captureLogger } from '../helpers/log-capture';

/**
 * Strings the gateway sends (caller, called, call ID, event type, agent IDs…) are outside input:
 * in Slack text they must not become mentions (`<!channel>`, `<@U…>`) or links.
 */
let db: LocalDynamo;
let store: DynamoStore;
beforeAll(async () => {
  db = await startLocalDynamo();
  store = new DynamoStore({ tableName: db.tableName, client: db.client });
});
afterAll(async () => {
  await db?.close();
});

const HOSTILE = {
  caller: '<!channel>',
  called: '<@U123>',
  callid: '<http://x|y>',
  callId: '&amp;',
  recordID: '<!here>',
  fileName: '<https://evil.example|click>',
  monitoredagent: '<!everyone>',
};

const hostileEvents = (workNo: string): GatewayEvent[] => [
  { type: 'AgentEvent_Talking', workNo, genTime: 1, content: HOSTILE },
  { type: 'AgentMediaEvent_Record', workNo, genTime: 2, content: HOSTILE },
  { type: 'AgentEvent_Customer_Release', workNo, genTime: 3, content: HOSTILE },
  { type: 'AgentEvent_Call_Release', workNo, genTime: 4, content: '<!channel>' },
  { type: 'QC_AgentState_Notify', workNo, genTime: 5, content: HOSTILE },
  { type: 'Unknown_<!channel>', workNo, genTime: 6, content: null },
];

function recordingNotifier() {
  const texts: string[] = [];
  const notifier = {
    threadReply: async (_target: unknown, lines: string[]) => {
      texts.push(lines.join('\n'));
      return `ts-${texts.length}`;
    },
    dm: async () => {},
  } as unknown as Notifier;
  return { texts, notifier };
}

function expectEscaped(texts: string[]) {
  const all = texts.join('\n');
  expect(all).toContain('&lt;!channel&gt;');
  expect(all).toContain('&lt;@U123&gt;');
  expect(all).toContain('&lt;http://x|y&gt;');
  expect(all).toContain('&amp;amp;');
  expect(all).not.toMatch(/<[!@#h]/);
}

describe('gateway strings in thread replies are escaped', () => {
  it('poll mode (the keeper): caller, called, call ID, type… reach Slack as text', async () => {
    const session = await store.startSession({
      inspectorId: '1101',
      sessionId: 'poll-1',
      teamId: 'T',
      userId: 'U1',
      guid: 'g',
      mode: 'poll',
      signedInAt: 0,
      guidUpdatedAt: 0,
    });
    const queue = hostileEvents('1101');
    const gateway = {
      pollEvent: async () => {
        const event = queue.shift() ?? null;
        if (!event) await new Promise((r) => setTimeout(r, 10));
        return { ok: true, retcode: '0', operation: 'getAgentEvent', latencyMs: 1, data: { event } };
      },
    } as unknown as GatewayClient;
    const { texts, notifier } = recordingNotifier();
    const keeper = new Keeper(
      { store, gateway, notifier, logger: captureLogger(), now: Date.now },
      { rescanMs: 50, runMs: 60_000 },
    );
    const abort = new AbortController();
    const run = keeper.run(abort.signal);
    const deadline = Date.now() + 5_000;
    while (queue.length > 0 || (await store.listPending('1101', session.sessionId)).length > 0) {
      if (Date.now() > deadline) throw new Error('the keeper did not post the events');
      await new Promise((r) => setTimeout(r, 20));
    }
    abort.abort();
    await run;
    expect(texts.join('\n')).toMatch(/Talking/);
    expectEscaped(texts);
  });

  it('push mode: the same fields in a pushed batch', async () => {
    const session = await store.startSession({
      inspectorId: '1102',
      sessionId: 'push-1',
      teamId: 'T',
      userId: 'U1',
      guid: 'g-push',
      serviceToken: 'tok',
      mode: 'push',
      signedInAt: 0,
      guidUpdatedAt: 0,
    });
    const { texts, notifier } = recordingNotifier();
    const deps: QcDeps = {
      store,
      gateway: {} as GatewayClient,
      notifier,
      logger: captureLogger(),
      now: Date.now,
    };
    const eventList = hostileEvents('1102').map((e) => ({
      eventType: e.type,
      eventGenTime: e.genTime,
      workNo: e.workNo,
      content: e.content,
    }));
    const res = await receivePush(deps, {
      headers: { service_token: 'tok', guid: 'g-push' },
      body: JSON.stringify({ workNo: '1102', eventList }),
    });
    expect(res.status).toBe(200);
    expect(await store.listPending('1102', session.sessionId)).toEqual([]);
    expect(texts.join('\n')).toMatch(/Talking/);
    expectEscaped(texts);
  });
});

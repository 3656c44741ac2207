/**
 * Issue 13, "What the supervisor reads": words and buttons a supervisor sees in the first hour.
 */
import { describe, expect, it } from 'vitest';
import { signInHint } from '../../scripts/slack';
import { describeEvent } from '../../src/qc/event-lines';
import type { QcOutcome } from '../../src/qc/outcome';
import type { HomeView } from '../../src/qc/ports';
import { alertMessage } from '../../src/slack/blocks/alert';
import { homeView } from '../../src/slack/blocks/home';
import { clock, outcomeMessage } from '../../src/slack/blocks/qc-outcome';
import { parseInterceptCommand, parseQcCommand } from '../../src/slack/parse';
import type { AlertRecord, MonitoringRecord, SessionRecord } from '../../src/store/types';
import { buttonsOf } from '../e2e/driver';

describe('agent IDs out of range (item 13)', () => {
  it('an ID of digits that is too large is out of range, not "not digits"', () => {
    const parsed = parseInterceptCommand('99999999', 59_999);
    expect(parsed).toMatchObject({ kind: 'usage' });
    const problem = (parsed as { problem: string }).problem;
    expect(problem).toMatch(/`99999999` is out of range: agent IDs run from 101 to 59999/);
    expect(problem).not.toMatch(/digits only/);
    expect((parseQcCommand('listen 1234567890123', 999_999) as { problem: string }).problem).toMatch(
      /out of range: agent IDs run from 101 to 999999/,
    );
    expect((parseQcCommand('who 100', 59_999) as { problem: string }).problem).toMatch(/out of range/);
  });

  it('letters are still "not an agent ID"', () => {
    expect((parseInterceptCommand('20a5', 59_999) as { problem: string }).problem).toMatch(
      /is not an agent ID: an agent ID is digits only/,
    );
  });
});

describe('the sign-in Ready is not "idle again" (item 10)', () => {
  const ready = { type: 'AgentState_Ready', workNo: '1001', content: null } as const;
  const base = { inspectorId: '1001', teamId: 'T', confirmed: false };

  it('right after sign-in (nobody monitored, nothing asked): no line', () => {
    expect(describeEvent(ready, undefined).line).toBeNull();
    expect(describeEvent(ready, base, { agentId: undefined, mode: undefined, op: 'events' }).line).toBeNull();
  });

  it('after a stop, or a call that ended, the inspector is idle again', () => {
    expect(describeEvent(ready, base, { agentId: '2005', op: 'stop' }).line).toMatch(/idle again/);
    const intercepting = { ...base, agentId: '2005', mode: 'intercept' as const, confirmed: true };
    expect(describeEvent(ready, intercepting).line).toMatch(/idle again/);
    const listening = { ...base, agentId: '2005', mode: 'listen' as const, confirmed: true };
    expect(describeEvent(ready, listening).line).toMatch(/idle again/);
  });
});

describe('"follow-up events in the thread" only where a thread follows (item 14)', () => {
  const ok: QcOutcome = {
    kind: 'gateway',
    op: 'intercept',
    call: 'intercept',
    agentId: '2005',
    inspectorId: '1001',
    ok: true,
    retcode: '0',
    latencyMs: 12,
  };
  const all = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;

  it('a result posted in the channel starts a thread: it says so', () => {
    expect(all(outcomeMessage(ok, 'U1'))).toMatch(/follow-up events in the thread/);
  });

  it('a result posted inside an alert thread, or shown to the requester alone, does not', () => {
    expect(all(outcomeMessage(ok, 'U1', { followUp: 'none' }))).not.toMatch(/follow-up events/);
  });
});

describe('one format for times, one wording for outcomes (item 16)', () => {
  const at = Date.UTC(2026, 10, 27, 16, 6, 0);
  const alert: AlertRecord = {
    alertId: 'A1',
    channel: 'C1',
    ts: '1.1',
    agentId: '2005',
    reason: 'angry customer',
    severity: 'warning',
    createdAt: at,
    participants: { U1: { inspectorId: '1001', mode: 'listen', since: at } },
    last: { userId: 'U1', op: 'listen', retcode: '0', ok: true, at },
    version: 1,
  };
  const home: HomeView = {
    userId: 'U1',
    link: { teamId: 'T', userId: 'U1', inspectorId: '1001', linkedBy: 'U_ADMIN', linkedAt: 0 },
    permissions: [],
    recent: [
      { teamId: 'T', userId: 'U1', operation: 'listen', agentId: '2005', outcome: '0', at },
      { teamId: 'T', userId: 'U1', operation: 'intercept', agentId: '2005', outcome: '900-005', at },
      {
        teamId: 'T',
        userId: 'U1',
        operation: 'intercept',
        agentId: '2005',
        outcome: 'refused:not-monitoring',
        at,
      },
    ],
    now: at,
  };
  const dated = `<!date^${at / 1000}^{time}|16:06 UTC>`;

  it("times are Slack dates (each reader's own time zone), the same in alerts, Home and messages", () => {
    expect(clock(at)).toBe(dated);
    expect(JSON.stringify(alertMessage(alert).blocks)).toContain(dated);
    expect(JSON.stringify(alertMessage(alert).blocks)).not.toContain(' UTC)');
    expect(JSON.stringify(homeView(home).blocks)).toContain(dated);
  });

  it('outcomes read the same: "done" for retcode 0 in Home as in alerts', () => {
    const text = JSON.stringify(homeView(home).blocks);
    expect(text).toContain('listen 2005 → done');
    expect(text).not.toContain('→ 0');
    expect(text).toContain('intercept 2005 → retcode 900-005');
    expect(text).toContain('intercept 2005 → refused (not-monitoring)');
    expect(JSON.stringify(alertMessage(alert).blocks)).toContain('listen → done');
    const failed = {
      ...alert,
      last: { userId: 'U1', op: 'intercept', retcode: 'refused:not-monitoring', ok: false, at },
    };
    expect(JSON.stringify(alertMessage(failed).blocks)).toContain('intercept → refused (not-monitoring)');
  });
});

describe('Home offers what the state allows (item 17)', () => {
  const now = Date.UTC(2026, 10, 27, 16, 6, 0);
  const session: SessionRecord = {
    inspectorId: '1001',
    sessionId: 's1',
    teamId: 'T',
    userId: 'U1',
    guid: 'g',
    mode: 'poll',
    status: 'active',
    signedInAt: now - 60_000,
    guidUpdatedAt: now - 5_000,
    version: 1,
    eventSeq: 1,
  };
  const view = (monitoring?: Partial<MonitoringRecord>): HomeView => ({
    userId: 'U1',
    link: { teamId: 'T', userId: 'U1', inspectorId: '1001', linkedBy: 'U_ADMIN', linkedAt: 0 },
    session,
    ...(monitoring
      ? { monitoring: { inspectorId: '1001', teamId: 'T', confirmed: true, version: 1, ...monitoring } }
      : {}),
    permissions: ['listen', 'intercept'],
    recent: [],
    now,
  });
  const buttons = (v: HomeView) => buttonsOf(homeView(v).blocks).map((b) => b.text?.text);
  const words = (v: HomeView) => JSON.stringify(homeView(v).blocks);

  it('holding an intercepted call: no Stop or Sign out is promised or offered; hang up is the way out', () => {
    const v = view({ agentId: '2005', mode: 'intercept', since: now - 30_000 });
    expect(buttons(v)).toEqual([]);
    expect(words(v)).not.toMatch(/stop is always allowed/i);
    expect(words(v)).toMatch(/Hang up your phone to end/);
  });

  it('monitoring: Stop (and why Sign out waits); idle: Sign out', () => {
    const listening = view({ agentId: '2005', mode: 'listen', since: now - 30_000 });
    expect(buttons(listening)).toEqual(['Stop monitoring 2005']);
    expect(words(listening)).toMatch(/sign out once you stop/i);
    expect(buttons(view())).toEqual(['Sign out']);
  });
});

describe('the terminal CLI names the sign-in command (item 12)', () => {
  it('an answer with the Sign in button gets the npm run slack line to sign in', () => {
    const answer = outcomeMessage({ kind: 'no-session', inspectorId: '1003' }, 'U_DEMO2');
    expect(signInHint(answer.blocks, 'U_DEMO2')).toBe(
      '  (to sign in from the terminal: npm run slack -- "/qc signin" --password <password> --user U_DEMO2)',
    );
    expect(signInHint(answer.blocks, 'U_DEMO')).toBe(
      '  (to sign in from the terminal: npm run slack -- "/qc signin" --password <password>)',
    );
    expect(signInHint(outcomeMessage({ kind: 'not-linked' }, 'U1').blocks, 'U1')).toBeUndefined();
  });
});

describe('an alert shows everyone who monitors its agent, however they started (item 15)', () => {
  const at = Date.UTC(2026, 10, 27, 16, 6, 0);
  const alert: AlertRecord = {
    alertId: 'A1',
    channel: 'C1',
    ts: '1.1',
    agentId: '2005',
    reason: 'angry customer',
    severity: 'warning',
    createdAt: at,
    participants: {},
    version: 1,
  };

  it('someone whispering through a command is on the call: not "Nobody is on this call yet"', () => {
    const msg = alertMessage(alert, [{ userId: 'U2', mode: 'whisper', since: at }]);
    const blocks = JSON.stringify(msg.blocks);
    expect(blocks).not.toMatch(/Nobody is on this call yet/);
    expect(blocks).toMatch(/<@U2> whispering to 2005 since <!date/);
  });

  it('one line per person: a clicker who also shows in the index is listed once, in their current mode', () => {
    const clicked = {
      ...alert,
      participants: { U1: { inspectorId: '1001', mode: 'listen' as const, since: at } },
    };
    const msg = alertMessage(clicked, [
      { userId: 'U1', mode: 'insert', since: at },
      { userId: 'U2', mode: 'listen', since: at + 1000 },
    ]);
    const blocks = JSON.stringify(msg.blocks);
    expect(blocks.match(/<@U1>/g)).toHaveLength(1);
    expect(blocks).toMatch(/<@U1> in the call with 2005/);
    expect(blocks).toMatch(/<@U2> listening to 2005/);
    expect(JSON.stringify(alertMessage(alert).blocks)).toMatch(/Nobody is on this call yet/);
  });
});

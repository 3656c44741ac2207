/**
 * Every message and view qc-slack can send, built with the largest inputs it accepts (longest IDs and
 * names, most rows, text that escaping multiplies), checked by the local Slack API's validator — which
 * holds Slack's limits (src/slack/blocks/limits.ts) at least as strictly as Slack does.
 */
import { describe, expect, it } from 'vitest';
import { checkContent, checkView } from '../../local/slack-api/validate';
import { MAX_CUSTOMER, MAX_DETAILS, MAX_REASON } from '../../src/alerts/payload';
import { explainRetcode, GatewayBadResponseError, GatewayTimeoutError } from '../../src/gateway';
import { CONFIRMED_OPERATIONS, QC_OPERATIONS } from '../../src/qc/model';
import type { QcOutcome } from '../../src/qc/outcome';
import { PERMISSIONS } from '../../src/qc/permissions';
import type { HomeView, Notice } from '../../src/qc/ports';
import { alertMessage } from '../../src/slack/blocks/alert';
import { confirmMessage } from '../../src/slack/blocks/confirm';
import { helpMessage, usageMessage } from '../../src/slack/blocks/help';
import { homeView } from '../../src/slack/blocks/home';
import type { SlackMessage } from '../../src/slack/blocks/kit';
import { LIMITS } from '../../src/slack/blocks/limits';
import { noticeMessage } from '../../src/slack/blocks/notices';
import { outcomeMessage } from '../../src/slack/blocks/qc-outcome';
import { notLinkedModal, signInModal } from '../../src/slack/blocks/signin-modal';
import { USAGE } from '../../src/slack/parse';
import type { AlertRecord, AuditEntry, MonitoringRecord } from '../../src/store/types';

// ── the largest inputs ──────────────────────────────────────────────────────────────────
const AGENT = '9999999';
const INSPECTOR = '9999999';
const CALL_ID = `C${'9'.repeat(127)}`; // checkCallId allows 128 characters
const USER = `U${'A'.repeat(30)}`;
const PHONE = `+${'9'.repeat(24)}`;
/** Text that escaping multiplies by 4–5 (`<` → `&lt;`, `&` → `&amp;`). */
const nasty = (n: number) => '<&>'.repeat(Math.ceil(n / 3)).slice(0, n);
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const users = (n: number) => Array.from({ length: n }, (_, i) => `U${String(i).padStart(30, '0')}`);

/**
 * mrkdwn texts (and a message's top-level text, which Slack parses as mrkdwn) with a `<` that does not
 * open a user mention, or an `&` that does not open one of the three escapes: Slack would read a link,
 * a mention (`<!channel>`), or a placeholder such as `<agent-id>` as markup.
 */
function unescaped(value: unknown, isMrkdwn = false): string[] {
  if (typeof value === 'string') {
    // A user mention and a Slack date (`<!date^1764259560^{time}|16:06 UTC>`) are the app's own markup.
    const bad = /<(?!@[UW][A-Z0-9_]+>|!date\^\d+\^\{[a-z_]+\}\|[^<>]*>)|&(?!amp;|lt;|gt;)/.test(value);
    return isMrkdwn && bad ? [value.slice(0, 80)] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v) => unescaped(v));
  if (typeof value !== 'object' || value === null) return [];
  const obj = value as Record<string, unknown>;
  return Object.entries(obj).flatMap(([k, v]) =>
    k === 'text' && typeof v === 'string' ? unescaped(v, obj.type === 'mrkdwn') : unescaped(v),
  );
}

function expectMessageFits(name: string, msg: SlackMessage): void {
  const checked = checkContent({ text: msg.text, blocks: msg.blocks }, true);
  expect(checked.ok ? 'ok' : `${checked.error}: ${checked.messages.slice(0, 3).join('; ')}`, name).toBe('ok');
  expect(msg.text.length, `${name}: fallback text`).toBeLessThanOrEqual(LIMITS.fallbackText);
  expect([...unescaped(msg.text, true), ...unescaped(msg.blocks)], `${name}: unescaped mrkdwn`).toEqual([]);
}

function expectViewFits(name: string, view: unknown, type: 'modal' | 'home'): void {
  const checked = checkView(view, type, () => 'B1');
  expect(checked.ok ? 'ok' : `${checked.error}: ${checked.messages.slice(0, 3).join('; ')}`, name).toBe('ok');
  expect(unescaped(view), `${name}: unescaped mrkdwn`).toEqual([]);
}

const monitoring = (i: number): MonitoringRecord & { userId: string } => ({
  inspectorId: String(9_000_000 + i),
  teamId: 'T1',
  agentId: String(1_000_000 + i),
  mode: 'whisper',
  since: NOW - 7_200_000,
  confirmed: false,
  version: 1,
  userId: USER,
});

const auditEntry = (i: number): AuditEntry => ({
  teamId: 'T1',
  userId: USER,
  inspectorId: INSPECTOR,
  agentId: AGENT,
  operation: 'switch-whisper',
  outcome: nasty(40),
  latencyMs: 123456,
  at: NOW - i * 60_000,
});

// ── outcomes ────────────────────────────────────────────────────────────────────────────
function everyOutcome(): Array<[string, QcOutcome]> {
  const current = { agentId: AGENT, mode: 'whisper' as const, since: NOW };
  const out: Array<[string, QcOutcome]> = [
    ['not-linked', { kind: 'not-linked' }],
    ['alert-gone', { kind: 'alert-gone' }],
    ['duplicate', { kind: 'duplicate', state: 'done' }],
    ['no-session', { kind: 'no-session', inspectorId: INSPECTOR, reason: nasty(1000) }],
    ['already-intercepted', { kind: 'already-intercepted', agentId: AGENT, by: USER, at: NOW }],
  ];
  for (const op of [...QC_OPERATIONS, 'release-call' as const]) {
    const target = op === 'release-call' ? CALL_ID : AGENT;
    out.push([
      `not-allowed ${op}`,
      { kind: 'not-allowed', op, agentId: target, permission: 'release', admins: users(40) },
    ]);
    for (const ok of [true, false]) {
      out.push([
        `gateway ${op} ${ok}`,
        {
          kind: 'gateway',
          op,
          call: 'requestSwitchInsertWhisperAgent',
          agentId: target,
          inspectorId: INSPECTOR,
          ok,
          retcode: nasty(200),
          explanation: { ...explainRetcode('100-006'), meaning: nasty(1000), nextStep: nasty(1000) },
          latencyMs: 29_999.5,
        },
      ]);
    }
    for (const error of [
      new GatewayTimeoutError(op, 'response', 30_000, 'UND_ERR'),
      new GatewayBadResponseError(op, nasty(500)),
    ])
      out.push([
        `transport ${op}`,
        { kind: 'transport', op, agentId: target, inspectorId: INSPECTOR, error },
      ]);
  }
  for (const op of QC_OPERATIONS) {
    out.push(
      [`wrong-mode ${op}`, { kind: 'wrong-mode', op, agentId: AGENT, current }],
      [`not-monitoring ${op}`, { kind: 'not-monitoring', op, agentId: AGENT, current }],
      [`monitoring-other ${op}`, { kind: 'monitoring-other', op, agentId: AGENT, current }],
      [`already ${op}`, { kind: 'already', op, agentId: AGENT, mode: 'whisper' }],
      [`intercepting ${op}`, { kind: 'intercepting', op, agentId: AGENT }],
    );
  }
  return out;
}

describe('every message qc-slack sends fits Slack’s limits with the largest inputs', () => {
  it.each(everyOutcome())('QC outcome: %s', (name, outcome) => {
    expectMessageFits(name, outcomeMessage(outcome, USER));
  });

  it.each([...CONFIRMED_OPERATIONS, 'release-call' as const])('confirmation: %s', (op) => {
    const msg = confirmMessage(op, op === 'release-call' ? CALL_ID : AGENT);
    expectMessageFits(op, msg);
  });

  it('help (every topic) and usage answers', () => {
    expectMessageFits('help', helpMessage());
    expectMessageFits('help intercept', helpMessage('intercept'));
    for (const [name, u] of Object.entries(USAGE))
      expectMessageFits(
        `usage ${name}`,
        usageMessage({ kind: 'usage', problem: `\`${nasty(30)}\` ${nasty(200)}`, ...u }),
      );
  });

  it('notices: session ended, status, text, who, audit, permissions', () => {
    const link = {
      teamId: 'T1',
      userId: USER,
      inspectorId: INSPECTOR,
      phone: PHONE,
      linkedBy: USER,
      linkedAt: NOW,
    };
    const session = {
      inspectorId: INSPECTOR,
      sessionId: 's',
      teamId: 'T1',
      userId: USER,
      guid: 'g',
      mode: 'poll' as const,
      status: 'ended' as const,
      endedReason: nasty(1000),
      signedInAt: NOW - 1e9,
      guidUpdatedAt: NOW,
      eventSeq: 0,
      version: 1,
    };
    const notices: Array<[string, Notice]> = [
      ['session-ended', { kind: 'session-ended', inspectorId: INSPECTOR, reason: nasty(1000) }],
      ['status linked', { kind: 'status', link, session, monitoring: monitoring(1), now: NOW }],
      [
        'status active',
        {
          kind: 'status',
          link,
          session: { ...session, status: 'active' },
          monitoring: monitoring(1),
          now: NOW,
        },
      ],
      ['status unlinked', { kind: 'status', now: NOW }],
      [
        'signout-refused',
        {
          kind: 'signout-refused',
          retcode: '1',
          meaning: 'x&amp;'.repeat(1000),
          nextStep: 'y<>'.repeat(1000),
        },
      ],
      [
        'audit',
        {
          kind: 'audit',
          entries: Array.from({ length: 1000 }, (_, i) => auditEntry(i)),
          range: '7d',
          scopeNote: nasty(300),
        },
      ],
      [
        'permissions',
        {
          kind: 'permissions',
          targetUserId: USER,
          inspectorId: INSPECTOR,
          permissions: [...PERMISSIONS],
          byDefault: true,
        },
      ],
    ];
    for (const [name, notice] of notices) expectMessageFits(name, noticeMessage(notice));
  });

  it.each([1, 35, 36, 60, 200, 5000])('/qc who with %i monitoring inspectors', (n) => {
    const rows = Array.from({ length: n }, (_, i) => monitoring(i));
    expectMessageFits(`who ${n}`, noticeMessage({ kind: 'who', now: NOW, rows }));
    expectMessageFits(`who agent ${n}`, noticeMessage({ kind: 'who', agentId: AGENT, now: NOW, rows }));
  });

  it('a monitoring alert with the longest fields, 500 × "<>" details and many people on it', () => {
    const base: AlertRecord = {
      alertId: 'A'.repeat(22),
      channel: 'C1',
      ts: '1.2',
      agentId: AGENT,
      reason: nasty(MAX_REASON),
      severity: 'critical',
      callId: CALL_ID,
      customer: nasty(MAX_CUSTOMER),
      details: '<>'.repeat(MAX_DETAILS / 2),
      createdAt: NOW,
      participants: Object.fromEntries(
        users(200).map((u, i) => [
          u,
          { inspectorId: INSPECTOR, mode: i % 2 ? 'listen' : 'whisper', since: NOW - i },
        ]),
      ),
      last: { userId: USER, op: 'switch-whisper', retcode: nasty(200), ok: false, at: NOW },
      version: 1,
    };
    expectMessageFits('alert', alertMessage(base));
    expectMessageFits(
      'alert intercepted',
      alertMessage({ ...base, interceptedBy: { userId: USER, inspectorId: INSPECTOR, at: NOW } }),
    );
    expectMessageFits('alert details &', alertMessage({ ...base, details: '&'.repeat(MAX_DETAILS) }));
  });
});

describe('every view qc-slack opens or publishes fits Slack’s limits', () => {
  it('the Home tab: unlinked, signed in and monitoring, signed out with a long reason', () => {
    const link = {
      teamId: 'T1',
      userId: USER,
      inspectorId: INSPECTOR,
      phone: PHONE,
      linkedBy: USER,
      linkedAt: NOW,
    };
    const base: HomeView = {
      userId: USER,
      permissions: [...PERMISSIONS],
      recent: Array.from({ length: 50 }, (_, i) => auditEntry(i)),
      now: NOW,
    };
    const session = {
      inspectorId: INSPECTOR,
      sessionId: 's',
      teamId: 'T1',
      userId: USER,
      guid: 'g',
      mode: 'push' as const,
      status: 'active' as const,
      signedInAt: NOW - 1e9,
      guidUpdatedAt: NOW,
      eventSeq: 0,
      version: 1,
    };
    expectViewFits('home unlinked', homeView(base), 'home');
    expectViewFits('home active', homeView({ ...base, link, session, monitoring: monitoring(1) }), 'home');
    expectViewFits(
      'home intercept',
      homeView({ ...base, link, session, monitoring: { ...monitoring(1), mode: 'intercept' } }),
      'home',
    );
    expectViewFits(
      'home ended',
      homeView({ ...base, link, session: { ...session, status: 'ended', endedReason: nasty(1000) } }),
      'home',
    );
  });

  it('the sign-in modal (plain, forced with a note, prefilled phone) and the not-linked modal', () => {
    expectViewFits('signin', signInModal({ inspectorId: INSPECTOR, phones: [PHONE] }), 'modal');
    expectViewFits(
      'signin forced',
      signInModal({
        inspectorId: INSPECTOR,
        phones: Array.from({ length: 10 }, (_, i) => `${PHONE.slice(0, -1)}${i}`),
        phone: PHONE,
        force: true,
        note: nasty(3000),
      }),
      'modal',
    );
    expectViewFits('not linked', notLinkedModal(), 'modal');
  });
});

describe('what a person reads when the inputs are large', () => {
  const textOf = (msg: SlackMessage) => JSON.stringify(msg.blocks);

  it('/qc who with 60 inspectors lists 50 in several sections and counts the rest', () => {
    const rows = Array.from({ length: 60 }, (_, i) => monitoring(i));
    const msg = noticeMessage({ kind: 'who', now: NOW, rows });
    const sections = msg.blocks.filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(2);
    expect(textOf(msg)).toContain('(60)');
    expect(textOf(msg)).toContain('…and 10 more');
    expect(textOf(msg)).toContain('9000049');
    expect(textOf(msg)).not.toContain('9000050');
  });

  it('an alert whose details escape to 4,000 characters is cut with "…", never inside an escape', () => {
    const msg = alertMessage({
      alertId: 'a1',
      channel: 'C1',
      ts: '1.2',
      agentId: AGENT,
      reason: 'Angry customer',
      severity: 'warning',
      details: '<>'.repeat(500),
      createdAt: NOW,
      participants: {},
      version: 1,
    });
    const facts = (msg.blocks[1] as { text: { text: string } }).text.text;
    expect(facts.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(facts).toMatch(/(&lt;|&gt;)…$/);
  });

  it('the release-call confirmation keeps its button short and names the 128-character call in the text', () => {
    const msg = confirmMessage('release-call', CALL_ID);
    const button = JSON.stringify(msg.blocks[2]);
    expect(button).toContain('"text":"Yes, release the call"');
    expect(JSON.stringify(msg.blocks[0])).toContain(CALL_ID);
  });

  it('help, usage, Home and status show placeholders as text, not as Slack links', () => {
    const help = helpMessage();
    expect(textOf(help)).toContain('&lt;call-id&gt;');
    expect(textOf(help)).toContain('&lt;inspector-id&gt;');
    expect(help.text).toContain('&lt;agent-id&gt;');
    const usage = usageMessage({
      kind: 'usage',
      problem: '`<!channel>` is not an agent ID',
      ...USAGE.intercept,
    });
    expect(textOf(usage)).toContain('&lt;agent-id&gt;');
    expect(textOf(usage)).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(homeView({ userId: USER, permissions: [], recent: [], now: NOW }))).toContain(
      '&lt;inspector-id&gt;',
    );
    expect(textOf(noticeMessage({ kind: 'status', now: NOW }))).toContain('&lt;inspector-id&gt;');
  });
});

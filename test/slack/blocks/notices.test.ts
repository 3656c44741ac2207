/**
 * Every one-sentence notice qc/ sends, rendered: the words a user sees (the same as when qc/ wrote
 * them itself), one section holding them, and every outside string escaped. No stack, no Slack.
 */
import { describe, expect, it } from 'vitest';
import type { AccountNotice, RequestNotice } from '../../../src/qc/notice';
import { noticeMessage } from '../../../src/slack/blocks/notices';

type Sentence = AccountNotice | RequestNotice;
/** Each kind with its cases: a kind without one does not compile. */
type Cases = { [K in Sentence['kind']]: Array<[Extract<Sentence, { kind: K }>, string]> };

const SIGNED_OUT = { signedOut: true } as const;
const NOT_CONFIRMED = { signedOut: false, problem: 'The gateway did not answer in time.' } as const;
const NOT_CONFIRMED_WORDS =
  ' here; the gateway did not confirm the sign-out (The gateway did not answer in time.), so it drops the session by itself within about 2 minutes';

const CASES: Cases = {
  'admin-only': [
    [
      { kind: 'admin-only', command: 'permissions' },
      'Only qc-slack admins can change permissions (QC_ADMIN_USER_IDS). Ask your platform team.',
    ],
    [
      { kind: 'admin-only', command: 'link' },
      'Only qc-slack admins can link users (QC_ADMIN_USER_IDS). Ask your platform team.',
    ],
    [
      { kind: 'admin-only', command: 'unlink' },
      'Only qc-slack admins can unlink users (QC_ADMIN_USER_IDS). Ask your platform team.',
    ],
  ],
  'user-not-linked': [
    [
      { kind: 'user-not-linked', targetUserId: 'U2' },
      '<@U2> is not linked to an inspector: `/qc link @them <inspector-id>` first.',
    ],
  ],
  'unlinked-meanwhile': [
    [{ kind: 'unlinked-meanwhile', targetUserId: 'U2' }, '<@U2> was unlinked meanwhile; nothing changed.'],
  ],
  'was-not-linked': [[{ kind: 'was-not-linked', targetUserId: 'U2' }, '<@U2> was not linked.']],
  'inspector-taken': [
    [
      { kind: 'inspector-taken', inspectorId: '1001' },
      'Inspector 1001 is already linked to another Slack user. Unlink them first: /qc unlink @them',
    ],
  ],
  linked: [
    [
      { kind: 'linked', targetUserId: 'U2', inspectorId: '1001', phones: ['70001'] },
      'Linked <@U2> to inspector 1001 (phone 70001). They can now /qc signin.',
    ],
    [
      { kind: 'linked', targetUserId: 'U2', inspectorId: '1001', phones: ['70001', '70002', '70003'] },
      'Linked <@U2> to inspector 1001 (phone 70001; also allowed: 70002, 70003). They can now /qc signin.',
    ],
    [
      { kind: 'linked', targetUserId: 'U2', inspectorId: '1001', phones: [] },
      'Linked <@U2> to inspector 1001 (no phone: they cannot sign in until you set one with `/qc link` again).',
    ],
    [
      {
        kind: 'linked',
        targetUserId: 'U2',
        inspectorId: '1002',
        phones: ['70001'],
        own: { inspectorId: '1001', ended: SIGNED_OUT },
        taken: { userId: 'U3', ...NOT_CONFIRMED },
      },
      'Linked <@U2> to inspector 1002 (phone 70001). They can now /qc signin.' +
        ' Their session as inspector 1001 was ended (signed out at the gateway); they were told by DM.' +
        ` The session of <@U3> as inspector 1002 was ended${NOT_CONFIRMED_WORDS}; they were told by DM.`,
    ],
  ],
  unlinked: [
    [{ kind: 'unlinked', targetUserId: 'U2', inspectorId: '1001' }, 'Unlinked <@U2> from inspector 1001.'],
    [
      { kind: 'unlinked', targetUserId: 'U2', inspectorId: '1001', ended: SIGNED_OUT },
      'Unlinked <@U2> from inspector 1001. Their gateway session was ended (signed out at the gateway); they were told by DM.',
    ],
  ],
  'session-ended-by-admin': [
    [
      {
        kind: 'session-ended-by-admin',
        adminId: 'U1',
        change: { kind: 'relinked', from: '1001', to: '1002' },
        inspectorId: '1001',
        signOut: SIGNED_OUT,
      },
      ':electric_plug: An admin (<@U1>) relinked you from inspector 1001 to 1002, so your gateway session as inspector 1001 was ended (signed out at the gateway).',
    ],
    [
      {
        kind: 'session-ended-by-admin',
        adminId: 'U1',
        change: { kind: 'phones-changed' },
        inspectorId: '1001',
        signOut: NOT_CONFIRMED,
      },
      `:electric_plug: An admin (<@U1>) changed your soft-phones: the one your session used is no longer allowed, so your gateway session as inspector 1001 was ended${NOT_CONFIRMED_WORDS}.`,
    ],
    [
      {
        kind: 'session-ended-by-admin',
        adminId: 'U1',
        change: { kind: 'inspector-relinked', inspectorId: '1001' },
        inspectorId: '1001',
        signOut: SIGNED_OUT,
      },
      ':electric_plug: An admin (<@U1>) linked inspector 1001 to another Slack user, so your gateway session as inspector 1001 was ended (signed out at the gateway).',
    ],
    [
      {
        kind: 'session-ended-by-admin',
        adminId: 'U1',
        change: { kind: 'unlinked', inspectorId: '1001' },
        inspectorId: '1001',
        signOut: SIGNED_OUT,
      },
      ':electric_plug: An admin (<@U1>) unlinked you from inspector 1001, so your gateway session as inspector 1001 was ended (signed out at the gateway).',
    ],
  ],
  'job-expired': [
    [
      { kind: 'job-expired', request: { op: 'intercept', agentId: '2005' }, ageMs: 120_400 },
      ':hourglass: `intercept 2005`: this request waited 120 s in the queue and was not run; send it again if you still want it.',
    ],
    [
      { kind: 'job-expired', request: { op: 'release-call', callId: '1456-3' }, ageMs: 61_500 },
      ':hourglass: `release-call 1456-3`: this request waited 62 s in the queue and was not run; send it again if you still want it.',
    ],
    [
      { kind: 'job-expired', request: { op: 'signout' }, ageMs: 90_000 },
      ':hourglass: `signout`: this request waited 90 s in the queue and was not run; send it again if you still want it.',
    ],
  ],
  'job-outcome-unknown': [
    [
      { kind: 'job-outcome-unknown', request: { op: 'listen', agentId: '2005' } },
      ":warning: `listen 2005`: qc-slack stopped while the gateway was handling this request, so its outcome is unknown. It was not sent again. Check `/qc status` and agent 2005's call before you try again.",
    ],
    [
      { kind: 'job-outcome-unknown', request: { op: 'release-call', callId: '1456-3' } },
      ':warning: `release-call 1456-3`: qc-slack stopped while the gateway was handling this request, so its outcome is unknown. It was not sent again. Check whether call 1456-3 is still up, and `/qc status` before you try again.',
    ],
    [
      { kind: 'job-outcome-unknown', request: { op: 'signout' } },
      ':warning: `signout`: qc-slack stopped while the gateway was handling this request, so its outcome is unknown. It was not sent again. Check `/qc status` before you try again.',
    ],
  ],
  'job-failed': [
    [
      { kind: 'job-failed', mayHaveApplied: true },
      ':warning: qc-slack hit an internal error on this request. Check `/qc status` before trying again (the gateway may or may not have acted).',
    ],
    [
      { kind: 'job-failed', mayHaveApplied: false },
      ':warning: qc-slack hit an internal error on this request. Nothing was sent to the gateway; try again in a minute.',
    ],
  ],
  'audit-unreadable': [
    [
      { kind: 'audit-unreadable', word: 'yesterday' },
      '`yesterday` is not a user, an agent ID, `today` or `7d`. Usage: /qc audit [export] [@user | agent] [today|7d]',
    ],
  ],
  'not-signed-in': [[{ kind: 'not-signed-in' }, 'You are not signed in to the gateway.']],
  'signed-out': [
    [{ kind: 'signed-out', inspectorId: '1001' }, 'Signed out inspector 1001 from the gateway.'],
  ],
  'signout-refused': [
    [
      {
        kind: 'signout-refused',
        retcode: '100-007',
        meaning: 'The inspector is busy.',
        nextStep: 'Try later.',
      },
      'The gateway did not sign you out: The inspector is busy. Try later. (retcode 100-007)',
    ],
  ],
  'signout-unreachable': [
    [
      { kind: 'signout-unreachable', explanation: 'The gateway did not answer.', nextStep: 'Try again.' },
      'Sign-out: The gateway did not answer. Try again.',
    ],
  ],
};

const rows = Object.values(CASES).flat() as Array<[Sentence, string]>;

describe('one-sentence notices', () => {
  it.each(rows.map(([notice, words]) => [notice.kind, notice, words] as const))(
    '%s: the words, as the text and as one section',
    (_kind, notice, words) => {
      const msg = noticeMessage(notice);
      expect(msg.text).toBe(words);
      expect(msg.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: words } }]);
    },
  );

  it('outside strings are escaped: IDs from the queue, gateway words, an audit word', () => {
    const evil = 'a<b>&c';
    const seen = (notice: Sentence) => noticeMessage(notice).text;
    const cases: Sentence[] = [
      { kind: 'user-not-linked', targetUserId: evil },
      { kind: 'inspector-taken', inspectorId: evil },
      {
        kind: 'linked',
        targetUserId: evil,
        inspectorId: evil,
        phones: [evil],
        taken: { userId: evil, ...SIGNED_OUT },
      },
      { kind: 'unlinked', targetUserId: evil, inspectorId: evil, ended: { signedOut: false, problem: evil } },
      {
        kind: 'session-ended-by-admin',
        adminId: evil,
        change: { kind: 'relinked', from: evil, to: evil },
        inspectorId: evil,
        signOut: SIGNED_OUT,
      },
      { kind: 'job-expired', request: { op: 'listen', agentId: evil }, ageMs: 1 },
      { kind: 'job-outcome-unknown', request: { op: 'release-call', callId: evil } },
      { kind: 'signed-out', inspectorId: evil },
      { kind: 'signout-refused', retcode: evil, meaning: evil, nextStep: evil },
      { kind: 'signout-unreachable', explanation: evil, nextStep: evil },
      { kind: 'audit-unreadable', word: 'x&y' },
    ];
    for (const notice of cases) {
      const text = seen(notice);
      expect(text, notice.kind).not.toContain(evil);
      // Only mentions open with '<' (and the usage's own `<inspector-id>`, as it always read).
      expect(text.replace(/<@[^>]*>|<inspector-id>/g, ''), notice.kind).not.toMatch(/[<>]/);
      expect(text.replace(/&(amp|lt|gt);/g, ''), notice.kind).not.toContain('&');
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { QcAction } from '../../src/qc/model';
import { DEFAULT_PERMISSIONS } from '../../src/qc/permissions';
import type { QcPolicy } from '../../src/qc/ports';
import { admit, type QcRequest } from '../../src/qc/run-qc';
import type { InspectorLink, SessionRecord } from '../../src/store/types';
import { AGENT, INSPECTOR, seen, session, slack, TEAM, USER } from './core-fixtures';

/**
 * What every gateway request passes first (linked, allowed, signed in by this very Slack user), and
 * what the requester reads when it does not: a table of link × permissions × session.
 */
const policy: QcPolicy = { adminUserIds: new Set(['U_ADMIN']), defaultPermissions: DEFAULT_PERMISSIONS };
const link = (permissions?: string[]): InspectorLink => ({
  teamId: TEAM,
  userId: USER,
  inspectorId: INSPECTOR,
  linkedBy: 'U_ADMIN',
  linkedAt: 0,
  ...(permissions ? { permissions } : {}),
});
const ended = session({ status: 'ended', endedReason: 'you signed out' });

const NOT_LINKED = 'You are not linked to a CC-Gateway inspector ID yet.';
const NOT_SIGNED_IN = 'Inspector 1001 is not signed in to the gateway: sign in first.';
const notAllowed = (what: string, permission: string) =>
  `You are not allowed to ${what}: it needs the "${permission}" permission. Ask <@U_ADMIN> to grant it.`;

type Row = [
  name: string,
  op: QcAction,
  link: InspectorLink | undefined,
  session: SessionRecord | undefined,
  expected: 'admitted' | { text: string; buttons: string[]; reason?: string },
];
const SIGN_IN = ['Sign in'];
const ROWS: Row[] = [
  ['not linked', 'listen', undefined, session(), { text: NOT_LINKED, buttons: [] }],
  ['linked, signed in (default permissions)', 'listen', link(), session(), 'admitted'],
  ['intercept is a default permission', 'intercept', link(), session(), 'admitted'],
  [
    'force needs a permission the default lacks',
    'force-busy',
    link(),
    session(),
    { text: notAllowed('force busy agent 2005', 'force'), buttons: [] },
  ],
  [
    'an explicit set replaces the default',
    'insert',
    link(['listen']),
    session(),
    { text: notAllowed('insert into the call of agent 2005', 'insert'), buttons: [] },
  ],
  ['the switch needs its mode’s permission', 'switch-listen', link(['listen']), session(), 'admitted'],
  ['stopping is always allowed', 'stop', link([]), session(), 'admitted'],
  ['stop-whisper is always allowed', 'stop-whisper', link([]), session(), 'admitted'],
  [
    'release-call needs "release"',
    'release-call',
    link(),
    session(),
    { text: notAllowed('release call 2005', 'release'), buttons: [] },
  ],
  ['release-call with "release"', 'release-call', link(['release']), session(), 'admitted'],
  ['no session', 'listen', link(), undefined, { text: NOT_SIGNED_IN, buttons: SIGN_IN }],
  [
    'their own ended session: they read why',
    'listen',
    link(),
    ended,
    { text: NOT_SIGNED_IN, buttons: SIGN_IN, reason: 'you signed out' },
  ],
  [
    "someone else's ended session: no reason shown",
    'listen',
    link(),
    { ...ended, userId: 'U2' },
    { text: NOT_SIGNED_IN, buttons: SIGN_IN },
  ],
  [
    "another user's live session on the same inspector",
    'listen',
    link(),
    session({ userId: 'U2' }),
    { text: NOT_SIGNED_IN, buttons: SIGN_IN },
  ],
  [
    "another team's session",
    'listen',
    link(),
    session({ teamId: 'T2' }),
    { text: NOT_SIGNED_IN, buttons: SIGN_IN },
  ],
  [
    'a session without a Guid',
    'listen',
    link(),
    session({ guid: '' }),
    { text: NOT_SIGNED_IN, buttons: SIGN_IN },
  ],
  [
    'permission is checked before the session',
    'force-idle',
    link(),
    undefined,
    { text: notAllowed('force idle agent 2005', 'force'), buttons: [] },
  ],
];

describe('admit: link × permissions × session', () => {
  it.each(ROWS)('%s (%s)', (_name, op, l, s, expected) => {
    const req: QcRequest =
      op === 'release-call' ? { slack, op, callId: AGENT } : { slack, op, agentId: AGENT };
    const got = admit(policy, req, l, s);
    if (expected === 'admitted') {
      expect(got).toEqual({ inspectorId: INSPECTOR, session: s });
      return;
    }
    if (!('refusal' in got)) throw new Error('admitted');
    expect(got.inspectorId).toBe(l ? INSPECTOR : undefined);
    const { text, buttons } = seen(got.refusal);
    expect({ text, buttons }).toEqual({ text: expected.text, buttons: expected.buttons });
    if (got.refusal.kind === 'no-session') expect(got.refusal.reason).toBe(expected.reason);
  });
});

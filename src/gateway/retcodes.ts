/**
 * Every CC-Gateway retcode in the reference (§8), with what it means for a supervisor and
 * what to do next. Codes marked [secondary] in the reference (200-xxx … 900-xxx) come from
 * Huawei's public demo code, not from the official table: their wording here is our reading.
 */
export type RetcodeKind =
  | 'success'
  | 'session' // the gateway session is gone or replaced: sign in again
  | 'signin' // sign-in itself failed (credentials, phone, already signed in…)
  | 'permission' // the CTI platform refuses this inspector the operation
  | 'platform' // the platform is unavailable or failing over: try again shortly
  | 'state' // someone is not in a state that allows the operation
  | 'target' // the target agent is unknown, signed out, or not visible
  | 'input' // a parameter was rejected (a bug on our side, or a bad ID)
  | 'call' // call-control errors
  | 'other'
  | 'unknown';

export interface RetcodeExplanation {
  code: string;
  kind: RetcodeKind;
  /** What happened, in a supervisor's words. */
  meaning: string;
  /** What to do about it. */
  nextStep: string;
  /** The gateway session can no longer be used: sign in again. */
  sessionEnded: boolean;
  /** Trying the same thing again a little later may work. */
  retryable: boolean;
}

type Row = [kind: RetcodeKind, meaning: string, nextStep: string];

const SIGN_IN_AGAIN = 'Sign in again with /qc signin.';
const TRY_AGAIN = 'Try again in a minute; if it keeps happening, tell the platform team.';
const REPORT_BUG = 'Tell the platform team: this looks like a qc-slack or gateway configuration problem.';

const TABLE: Record<string, Row> = {
  '0': ['success', 'The gateway carried it out.', 'Nothing more to do.'],
  '000-001': ['input', 'The gateway is set up for a different way of delivering events.', REPORT_BUG],
  '000-002': [
    'input',
    'The gateway rejected a parameter of the request (bad ID or address).',
    'Check the agent ID; if it is right, tell the platform team.',
  ],
  '000-003': [
    'session',
    'Your gateway session expired or was replaced (the gateway refused your credentials).',
    SIGN_IN_AGAIN,
  ],
  '000-004': [
    'platform',
    'Your gateway session is being switched over to another gateway node.',
    'Wait a few seconds and try again.',
  ],
  '000-005': [
    'input',
    'You cannot monitor yourself: the target agent is your own inspector ID.',
    'Use the ID of the agent you want to monitor.',
  ],
  '000-006': ['input', 'The gateway rejected the request body.', REPORT_BUG],
  '000-007': ['state', 'The same operation is already in progress.', 'Wait for the first one to finish.'],
  '100-001': [
    'signin',
    'A sign-in parameter is empty or invalid (or the push service token was rejected).',
    'Check your phone number and password; if they are right, tell the platform team.',
  ],
  '100-002': [
    'signin',
    'This inspector ID is already signed in elsewhere.',
    'Use forced sign-in to take the session over, or sign out the other client first.',
  ],
  '100-003': ['platform', 'The CTI platform was unavailable during sign-in.', TRY_AGAIN],
  '100-004': [
    'signin',
    'Wrong inspector ID or password.',
    'Check the password for your CTI account and sign in again.',
  ],
  '100-005': ['input', 'The sign-out request was invalid.', REPORT_BUG],
  '100-006': [
    'session',
    'Your gateway session expired or was replaced (not signed in, or the Guid no longer matches).',
    SIGN_IN_AGAIN,
  ],
  '100-007': ['platform', 'The gateway hit an internal error.', TRY_AGAIN],
  '100-008': ['session', 'This inspector is already signed out of the gateway.', SIGN_IN_AGAIN],
  '100-009': [
    'permission',
    'The platform refused to change the agent state (no permission).',
    'Ask your CTI administrator for the permission.',
  ],
  '100-010': [
    'state',
    'You cannot sign out now: you are in a call or monitoring one.',
    'Stop monitoring or end the call first, then sign out.',
  ],
  '100-011': [
    'signin',
    'A sign-in parameter is invalid.',
    'Check your phone number; if it is right, tell the platform team.',
  ],
  '100-012': ['signin', 'Wrong agent type for sign-in.', REPORT_BUG],
  '100-013': [
    'signin',
    'The phone number is not valid for binding.',
    'Check the phone number linked to you (/qc status) and sign in again.',
  ],
  '100-014': [
    'signin',
    'The phone number is outside the configured range.',
    'Use a phone number your CTI administrator has configured.',
  ],
  '100-015': [
    'signin',
    'This ID is signed in and cannot be forcibly signed out.',
    'Sign out the other client first.',
  ],
  '100-016': ['signin', 'The sign-in IP address is invalid.', REPORT_BUG],
  '100-017': [
    'signin',
    'uPortal authentication failed.',
    'Check your credentials with your CTI administrator.',
  ],
  '100-018': [
    'signin',
    'The sign-in VDN differs from the playback VDN.',
    'Ask your CTI administrator to check your VDN.',
  ],
  '100-019': ['input', 'Invalid parameter when querying skill queues.', REPORT_BUG],
  '100-020': [
    'signin',
    'Your CTI password has expired.',
    'Change your password on the CTI platform, then sign in again.',
  ],
  '100-021': ['state', 'A sign-in is already in progress.', 'Wait a few seconds, then check /qc status.'],
  '110-016': ['signin', 'Your CTI account is locked.', 'Ask your CTI administrator to unlock it.'],
  '101-001': ['other', 'Phone conference: there is no conference.', 'Nothing to stop.'],
  '101-002': ['permission', 'Phone conference: you are not the chair.', 'Ask the chair.'],
  '101-003': ['state', 'Phone conference: already in a conference.', 'Leave it first.'],
  '101-004': [
    'permission',
    'Phone conference: only inspectors may query VDN conferences.',
    'Ask your CTI administrator.',
  ],
  '101-005': ['state', 'Phone conference: chair rules prevent this.', 'Ask the chair.'],
  '101-006': ['state', 'Phone conference: chair rules prevent this.', 'Ask the chair.'],
  '101-007': ['state', 'Phone conference: chair rules prevent this.', 'Ask the chair.'],
  '104-002': [
    'permission',
    'No right to play back QC recordings.',
    'Ask your CTI administrator for the recording permission.',
  ],
  '105-001': ['platform', 'The gateway has no cached data for this agent (failover).', SIGN_IN_AGAIN],
  '105-002': ['platform', 'Disaster recovery is in progress on the gateway.', 'Wait a minute and try again.'],
  '105-003': [
    'session',
    'Disaster recovery has completed; your session has to be re-established.',
    SIGN_IN_AGAIN,
  ],
  '105-004': ['platform', 'Disaster recovery failed to queue this request.', TRY_AGAIN],
  '105-005': ['session', 'Disaster recovery timed out; your session is gone.', SIGN_IN_AGAIN],
  '105-006': [
    'session',
    'Your gateway session expired or was replaced (Guid mismatch after failover).',
    SIGN_IN_AGAIN,
  ],
  '105-007': ['session', 'Disaster-recovery switching is off; your session is gone.', SIGN_IN_AGAIN],
  '106-001': ['other', 'Multimedia chat is switched off.', 'Nothing to do for voice QC.'],
  '106-002': ['input', 'Multimedia chat: empty message.', REPORT_BUG],
  '106-003': ['state', 'Multimedia chat: more than 60 sessions.', 'Close some chat sessions.'],
  '106-004': ['input', 'Multimedia chat: bad device type.', REPORT_BUG],
  '300-001': ['permission', 'No permission to query this agent group.', 'Ask your CTI administrator.'],
  '300-002': ['target', 'No such agent.', 'Check the agent ID.'],
  '300-003': ['target', 'The agent group has no agents.', 'Check the group.'],
  '300-004': ['target', 'No such agent group.', 'Check the group.'],
  '400-001': ['call', 'There is no call to attach call data to.', 'Nothing to do.'],
  '400-002': ['input', 'There is no call data to set.', REPORT_BUG],
  '400-003': ['call', 'There is no held call.', 'Nothing to do.'],
  '900-001': ['platform', 'The CTI platform is unavailable (no provider).', TRY_AGAIN],
  '900-002': [
    'permission',
    'You have no QC permission on the CTI platform for this operation.',
    'Ask your CTI administrator to give your inspector ID the quality-control right.',
  ],
  '900-003': ['platform', 'The CTI platform resource is unavailable.', TRY_AGAIN],
  '900-004': [
    'target',
    'The gateway has no information for that agent: not signed in, unknown, or in another VDN.',
    'Check the agent ID and that the agent is signed in (and in your VDN).',
  ],
  '900-005': [
    'state',
    'The state does not allow it: you must be idle to start monitoring, monitoring the agent to intercept or switch, and the agent must be in a call.',
    'Check /qc status: stop what you are monitoring first, or start listening to the agent before you intercept.',
  ],
  '999-001': ['platform', 'The gateway is misconfigured (invalid WAS URL).', REPORT_BUG],
};

const FAMILY_ROWS: Array<[prefix: string, row: Row]> = [
  ['101-', ['other', 'Phone-conference error.', 'Check the conference and try again.']],
  ['104-', ['other', 'Recording download or playback error.', TRY_AGAIN]],
  [
    '200-',
    [
      'call',
      'The call could not be controlled in its current state (voice-call error).',
      'Check whether the call still exists and try again.',
    ],
  ],
  [
    '500-',
    [
      'state',
      'Recording or playback is in the wrong state.',
      'Try again once the recording state has settled.',
    ],
  ],
  ['600-', ['platform', 'A queue device (skill, access code or IVR) is not configured.', REPORT_BUG]],
  ['700-', ['other', 'Text-chat error.', TRY_AGAIN]],
  ['800-', ['other', 'Video playback error.', TRY_AGAIN]],
];

function build(code: string, [kind, meaning, nextStep]: Row): RetcodeExplanation {
  return {
    code,
    kind,
    meaning,
    nextStep,
    sessionEnded: kind === 'session',
    retryable: kind === 'platform',
  };
}

/** Every code with its own row in the table (for tests and docs). */
export const KNOWN_RETCODES: readonly string[] = Object.keys(TABLE);

/** Explain any retcode. Never throws; unknown or malformed codes get a generic explanation. */
export function explainRetcode(code: unknown): RetcodeExplanation {
  const text = typeof code === 'string' || typeof code === 'number' ? String(code).trim() : '';
  const row = Object.hasOwn(TABLE, text) ? TABLE[text] : undefined;
  if (row) return build(text, row);
  const family = FAMILY_ROWS.find(([prefix]) => text.startsWith(prefix));
  if (family) return build(text, family[1]);
  const shown = /^[0-9A-Za-z-]{1,16}$/.test(text) ? text : '(unreadable)';
  return {
    code: shown,
    kind: 'unknown',
    meaning: `The gateway refused the operation with code ${shown}, which qc-slack does not know.`,
    nextStep: 'Try again; if it repeats, tell the platform team the code.',
    sessionEnded: false,
    retryable: false,
  };
}

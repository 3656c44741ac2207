import type { MonitorMode, QcAction, QcOperation } from './model';

/** The verb a supervisor reads for each mode. */
export const MODE_VERB: Record<MonitorMode, string> = {
  listen: 'listening to',
  insert: 'in the call with',
  whisper: 'whispering to',
  intercept: 'talking to the customer of',
};

export const OP_PAST: Record<QcAction, string> = {
  'release-call': 'Released',
  listen: 'Listening to',
  insert: 'Joined the call of',
  whisper: 'Whispering to',
  stop: 'Stopped monitoring',
  intercept: 'Intercepted the call of',
  'stop-whisper': 'Stopped whispering to',
  'switch-listen': 'Switched to listening to',
  'switch-insert': 'Switched to the call of',
  'switch-whisper': 'Switched to whispering to',
  'force-busy': 'Forced busy: agent',
  'force-idle': 'Forced idle: agent',
  'force-signout': 'Forced sign-out of agent',
};

export const OP_PROGRESS: Record<QcAction, string> = {
  'release-call': 'Releasing call',
  listen: 'Listening to',
  insert: 'Inserting into the call of',
  whisper: 'Whispering to',
  stop: 'Stopping monitoring of',
  intercept: 'Intercepting',
  'stop-whisper': 'Stopping whispering to',
  'switch-listen': 'Switching to listening to',
  'switch-insert': 'Switching into the call of',
  'switch-whisper': 'Switching to whispering to',
  'force-busy': 'Forcing busy:',
  'force-idle': 'Forcing idle:',
  'force-signout': 'Forcing the sign-out of',
};

/** What the requester asked to do, as a phrase ("could not …"). */
export const OP_NAME: Record<QcAction, string> = {
  'release-call': 'release',
  listen: 'listen to',
  insert: 'insert into the call of',
  whisper: 'whisper to',
  stop: 'stop monitoring',
  intercept: 'intercept the call of',
  'stop-whisper': 'stop whispering to',
  'switch-listen': 'switch to listening to',
  'switch-insert': 'switch into the call of',
  'switch-whisper': 'switch to whispering to',
  'force-busy': 'force busy',
  'force-idle': 'force idle',
  'force-signout': 'force the sign-out of',
};

/** "agent 2005", or "call 1700000000-2005" for release-call. */
export function targetLabel(op: QcAction, target: string): string {
  return op === 'release-call' ? `call ${target}` : `agent ${target}`;
}

/** What a successful operation does to the inspector's monitoring state. */
export function effectOf(op: QcOperation): { mode: MonitorMode } | 'none' | 'unchanged' {
  switch (op) {
    case 'listen':
    case 'insert':
    case 'whisper':
    case 'intercept':
      return { mode: op };
    case 'switch-listen':
      return { mode: 'listen' };
    case 'switch-insert':
      return { mode: 'insert' };
    case 'switch-whisper':
      return { mode: 'whisper' };
    case 'stop':
    case 'stop-whisper':
      return 'none';
    case 'force-busy':
    case 'force-idle':
    case 'force-signout':
      return 'unchanged';
  }
}

export function isMonitoringMode(mode: MonitorMode | undefined): mode is 'listen' | 'insert' | 'whisper' {
  return mode === 'listen' || mode === 'insert' || mode === 'whisper';
}

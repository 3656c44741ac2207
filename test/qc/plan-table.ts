import type { QcOperation } from '../../src/qc/model';
import { STATES, type State } from './core-fixtures';

/**
 * The monitoring check, each operation × each state the inspector may be in: the one gateway call
 * the request means (`qc(listen, 2005)`), or the refusal (`refused:already`) — nothing is sent then.
 * States: none (no record), cleared (a record, monitoring nobody), listen / insert / whisper /
 * intercept on the agent, other (listening to another agent).
 */
export const PLAN: Record<QcOperation, Record<State, string>> = {
  listen: {
    none: 'qc(listen, 2005)',
    cleared: 'qc(listen, 2005)',
    listen: 'refused:already',
    insert: 'switchListenInsert(2005)',
    whisper: 'switchMode(2005, listen)',
    intercept: 'refused:intercepting',
    other: 'refused:monitoring-other',
  },
  insert: {
    none: 'qc(insert, 2005)',
    cleared: 'qc(insert, 2005)',
    listen: 'switchListenInsert(2005)',
    insert: 'refused:already',
    whisper: 'switchMode(2005, insert)',
    intercept: 'refused:intercepting',
    other: 'refused:monitoring-other',
  },
  whisper: {
    none: 'qc(whisper, 2005)',
    cleared: 'qc(whisper, 2005)',
    listen: 'switchMode(2005, whisper)',
    insert: 'switchMode(2005, whisper)',
    whisper: 'refused:already',
    intercept: 'refused:intercepting',
    other: 'refused:monitoring-other',
  },
  'switch-listen': {
    none: 'refused:not-monitoring',
    cleared: 'refused:not-monitoring',
    listen: 'refused:already',
    insert: 'switchListenInsert(2005)',
    whisper: 'switchMode(2005, listen)',
    intercept: 'refused:intercepting',
    other: 'refused:monitoring-other',
  },
  'switch-insert': {
    none: 'refused:not-monitoring',
    cleared: 'refused:not-monitoring',
    listen: 'switchListenInsert(2005)',
    insert: 'refused:already',
    whisper: 'switchMode(2005, insert)',
    intercept: 'refused:intercepting',
    other: 'refused:monitoring-other',
  },
  'switch-whisper': {
    none: 'refused:not-monitoring',
    cleared: 'refused:not-monitoring',
    listen: 'switchMode(2005, whisper)',
    insert: 'switchMode(2005, whisper)',
    whisper: 'refused:already',
    intercept: 'refused:intercepting',
    other: 'refused:monitoring-other',
  },
  intercept: {
    none: 'refused:not-monitoring',
    cleared: 'refused:not-monitoring',
    listen: 'intercept(2005)',
    insert: 'intercept(2005)',
    whisper: 'intercept(2005)',
    intercept: 'refused:intercepting',
    other: 'refused:monitoring-other',
  },
  // Our record may be stale (events missed): without one, stop still asks the gateway.
  stop: {
    none: 'cancelMonitor(2005)',
    cleared: 'cancelMonitor(2005)',
    listen: 'cancelMonitor(2005)',
    insert: 'cancelMonitor(2005)',
    whisper: 'stopWhisper(2005)',
    intercept: 'refused:intercepting',
    other: 'refused:monitoring-other',
  },
  'stop-whisper': {
    none: 'stopWhisper(2005)',
    cleared: 'stopWhisper(2005)',
    listen: 'refused:wrong-mode',
    insert: 'refused:wrong-mode',
    whisper: 'stopWhisper(2005)',
    intercept: 'refused:intercepting',
    other: 'refused:monitoring-other',
  },
  // Force operations act on the agent, not on the inspector's monitoring: no check at all.
  'force-busy': Object.fromEntries(STATES.map((s) => [s, 'forceBusy(2005)'])) as Record<State, string>,
  'force-idle': Object.fromEntries(STATES.map((s) => [s, 'forceIdle(2005)'])) as Record<State, string>,
  'force-signout': Object.fromEntries(STATES.map((s) => [s, 'forceSignOutAgent(2005)'])) as Record<
    State,
    string
  >,
};

/** The table as rows: [op, state, what is expected]. */
export const PLAN_ROWS = (Object.keys(PLAN) as QcOperation[]).flatMap((op) =>
  STATES.map((state) => [op, state, PLAN[op][state]] as const),
);

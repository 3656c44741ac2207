import type { QcOperation } from '../queue/jobs';
import type { MonitorMode } from '../store/types';

/** The verb a supervisor reads for each mode. */
export const MODE_VERB: Record<MonitorMode, string> = {
  listen: 'listening to',
  insert: 'in the call with',
  whisper: 'whispering to',
  intercept: 'talking to the customer of',
};

export const OP_PAST: Record<QcOperation, string> = {
  listen: 'Listening to',
  insert: 'Joined the call of',
  whisper: 'Whispering to',
  stop: 'Stopped monitoring',
  intercept: 'Intercepted the call of',
};

export const OP_PROGRESS: Record<QcOperation, string> = {
  listen: 'Listening to',
  insert: 'Inserting into the call of',
  whisper: 'Whispering to',
  stop: 'Stopping monitoring of',
  intercept: 'Intercepting',
};

/** Which monitoring mode a successful operation leaves the inspector in (undefined = none). */
export function modeAfter(op: QcOperation): MonitorMode | undefined {
  return op === 'stop' ? undefined : op;
}

export function isMonitoringMode(mode: MonitorMode | undefined): mode is 'listen' | 'insert' | 'whisper' {
  return mode === 'listen' || mode === 'insert' || mode === 'whisper';
}

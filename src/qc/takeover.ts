import type { Job } from '../queue/jobs';
import type { QcDeps, QcPolicy } from './ports';

type TakeoverJob = Extract<Job, { kind: 'takeover' | 'takeover-step' }>;

/** One-click take-over and its keeper-queued steps. (Built in issue 15; a placeholder until then.) */
export async function runTakeover(_deps: QcDeps & QcPolicy, _job: TakeoverJob): Promise<string> {
  return 'not-built';
}

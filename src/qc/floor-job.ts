import type { Job } from '../queue/jobs';
import type { QcDeps, QcPolicy } from './ports';

type FloorJob = Extract<Job, { kind: 'floor' | 'floor-view' }>;

/** `/qc floor` and a floor's page/Refresh buttons. (Built in issue 15; a placeholder until then.) */
export async function runFloorJob(_deps: QcDeps & QcPolicy, _job: FloorJob): Promise<string> {
  return 'not-built';
}

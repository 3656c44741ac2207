import type { Logger } from '../gateway/logger';
import { ConflictError, type MonitoringRecord, type MonitoringStore } from '../store/types';

export type MonitoringDraft = Omit<MonitoringRecord, 'version'>;

/**
 * Read–change–write of an inspector's monitoring record, with the version check: when the worker
 * and the keeper write at once, the loser reads again and re-applies its change, so no update is
 * lost. `first` spares the first read when the caller already has the record. Returns false when
 * it kept conflicting (`attempts` times).
 */
export async function updateMonitoring(
  deps: { store: MonitoringStore; logger: Logger },
  key: { inspectorId: string; teamId: string },
  change: (draft: MonitoringDraft) => void,
  opts: { attempts?: number; first?: MonitoringRecord | undefined } = {},
): Promise<boolean> {
  const attempts = opts.attempts ?? 3;
  let current = 'first' in opts ? opts.first : await deps.store.getMonitoring(key.inspectorId);
  for (let attempt = 1; ; attempt++) {
    const { version, ...draft } = current ?? {
      inspectorId: key.inspectorId,
      teamId: key.teamId,
      confirmed: false,
      version: 0,
    };
    change(draft);
    try {
      await deps.store.putMonitoring(draft, version);
      return true;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      if (attempt >= attempts) return false;
      current = await deps.store.getMonitoring(key.inspectorId);
    }
  }
}

/** The inspector monitors nobody any more (the thread and the folded reply stay). */
export function clearTarget(draft: MonitoringDraft): void {
  delete draft.agentId;
  delete draft.mode;
  delete draft.since;
  draft.confirmed = false;
  draft.busySeen = false;
}

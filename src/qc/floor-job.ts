import type { Job } from '../queue/jobs';
import type { FloorRecord } from '../store/types';
import { showHome } from './account-jobs';
import type { FloorScope, FloorView } from './floor';
import { admitFloor, type FloorAdmission, type FloorRead, readFloor, tellRefusal } from './floor-read';
import { homeFloorId } from './home-floor';
import type { SlackContext } from './model';
import type { QcDeps, QcPolicy } from './ports';

type FloorJob = Extract<Job, { kind: 'floor' | 'floor-view' }>;
type Deps = QcDeps & QcPolicy;

/** `/qc floor` and a floor's page/Refresh buttons. Returns the job's detail. */
export async function runFloorJob(deps: Deps, job: FloorJob): Promise<string> {
  return job.kind === 'floor' ? openFloor(deps, job) : viewFloor(deps, job);
}

/**
 * The requester admitted on their own session and the floor read once; otherwise they are told why
 * (not linked, not allowed, not signed in, the gateway's answer) and the job's detail is returned.
 */
async function admitAndRead(
  deps: Deps,
  slack: SlackContext,
  scope: FloorScope,
): Promise<
  { admitted: Extract<FloorAdmission, { ok: true }>; read: Extract<FloorRead, { ok: true }> } | string
> {
  const admitted = await admitFloor(deps, slack);
  if (!admitted.ok) return tellRefusal(deps, slack, admitted.refusal);
  const read = await readFloor(deps, admitted.session, scope);
  if (read.ok) return { admitted, read };
  await deps.notifier.tell(slack, { kind: 'floor-unread', problem: read.problem });
  return read.detail;
}

/**
 * `/qc floor [all|skill] [share]`: admit, read the gateway once, post the floor (DM, or the channel with
 * `share`), store it so the keeper keeps it live, then say where it is. A failed read posts and stores nothing.
 */
async function openFloor(deps: Deps, job: Extract<FloorJob, { kind: 'floor' }>): Promise<string> {
  const got = await admitAndRead(deps, job.slack, job.scope);
  if (typeof got === 'string') return got;
  const { admitted, read } = got;
  const now = deps.now();
  const view: FloorView = {
    floor: read.floor,
    scope: job.scope,
    now,
    page: 0,
    ...(read.notes.length ? { notes: read.notes } : {}),
  };
  const where = job.share ? 'channel' : 'dm';
  const posted = await deps.notifier.postFloor(job.slack, where, view);
  await deps.store.floors.putFloor({
    teamId: job.slack.teamId,
    floorId: `${posted.channel}:${posted.ts}`,
    userId: job.slack.userId,
    inspectorId: admitted.link.inspectorId,
    channel: posted.channel,
    ts: posted.ts,
    scope: job.scope,
    page: 0,
    openedAt: now,
  });
  await deps.notifier.tell(job.slack, {
    kind: 'floor-opened',
    where,
    ...(posted.permalink ? { permalink: posted.permalink } : {}),
  });
  return `opened:${where}`;
}

/**
 * A page or Refresh button: the floor's record (gone → "closed"), the clicker admitted on their own
 * session, one gateway read, the redraw (the message, or the Home tab), the page saved; Refresh makes the
 * floor live again (the keeper subscribes again).
 */
async function viewFloor(deps: Deps, job: Extract<FloorJob, { kind: 'floor-view' }>): Promise<string> {
  const { teamId, userId } = job.slack;
  const home = job.floorId.startsWith('home:');
  const rec = await deps.store.floors.getFloor(teamId, job.floorId);
  // A Home floor is only ever its own user's: a queued ID naming someone else's is not followed.
  if (!rec || (home && job.floorId !== homeFloorId(userId))) {
    await deps.notifier.tell(job.slack, { kind: 'floor-closed' });
    return 'closed';
  }
  const got = await admitAndRead(deps, job.slack, rec.scope);
  if (typeof got === 'string') return got;
  const { read } = got;
  const now = deps.now();
  const paused = rec.pausedAt !== undefined && !job.refresh;
  const view: FloorView = {
    floor: read.floor,
    scope: rec.scope,
    now,
    page: job.page,
    ...(paused ? { paused: true } : {}),
    ...(read.notes.length ? { notes: read.notes } : {}),
  };
  const change = { page: job.page, ...(job.refresh ? { openedAt: now, pausedAt: null } : {}) };
  if (home) {
    await savePage(deps, rec, change);
    await showHome(deps, teamId, userId, { floor: view });
    return job.refresh ? 'home-refreshed' : 'home-page';
  }
  if (!rec.channel || !rec.ts) return 'closed';
  const drawn = await deps.notifier.updateFloor({ channel: rec.channel, ts: rec.ts }, view);
  if (drawn === 'gone') {
    await deps.store.floors.deleteFloor(teamId, job.floorId);
    return 'gone';
  }
  await savePage(deps, rec, change);
  return job.refresh ? 'refreshed' : 'page';
}

type FloorChange = Parameters<QcDeps['store']['floors']['updateFloor']>[1];

/** Save the page (and Refresh's new start) over whatever the keeper wrote meanwhile: one re-read. */
async function savePage(deps: Deps, rec: FloorRecord, change: FloorChange): Promise<void> {
  if (await deps.store.floors.updateFloor(rec, change)) return;
  const again = await deps.store.floors.getFloor(rec.teamId, rec.floorId);
  if (again && !(await deps.store.floors.updateFloor(again, change)))
    deps.logger.warn({ floor: rec.floorId }, 'floor record kept changing; page not saved');
}

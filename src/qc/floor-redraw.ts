/**
 * When each open floor message is redrawn with `chat.update` (issue 15 item 2). Pure bookkeeping on an
 * injected clock: the caller reports changes (`change`), asks what to draw now (`take`), draws it, and
 * reports a failure or a `Retry-After` back. The rules:
 * - a message is drawn at most once per `minGapMs` (3 s);
 * - the messages of one workspace together at most `perWindow` (50) draws in any `windowMs` (60 s), as
 *   `chat.update` is Tier 3 per workspace;
 * - fair: of the messages that may be drawn, the least recently drawn go first;
 * - a workspace told `Retry-After` draws nothing until it has passed;
 * - coalescing: changes to a message while it waits are one pending draw with the latest state.
 * Nothing here calls Slack or sets a timer: `nextDueAt()` says when `take()` has something again.
 */

export interface RedrawPolicy {
  minGapMs: number;
  perWindow: number;
  windowMs: number;
}

export const DEFAULT_REDRAW_POLICY: RedrawPolicy = { minGapMs: 3_000, perWindow: 50, windowMs: 60_000 };

/** One draw to make: the message and the latest state to show. */
export interface Redraw<S> {
  workspace: string;
  message: string;
  state: S;
  /** Increases with every change of this message; `failed` uses it to never re-pend a stale state. */
  version: number;
}

interface MessageEntry<S> {
  workspace: string;
  message: string;
  version: number;
  pending?: { state: S; since: number };
  lastDrawnAt?: number;
  /** Closed messages ignore changes until opened again. */
  closed?: true;
}

interface WorkspaceEntry {
  /** Times of the draws still inside the window, oldest first. */
  draws: number[];
  pausedUntil: number;
}

const keyOf = (workspace: string, message: string) => `${workspace}\u0000${message}`;

export class FloorRedrawScheduler<S> {
  readonly policy: RedrawPolicy;
  readonly #now: () => number;
  readonly #messages = new Map<string, MessageEntry<S>>();
  readonly #workspaces = new Map<string, WorkspaceEntry>();

  constructor(opts: { now: () => number; policy?: Partial<RedrawPolicy> }) {
    this.#now = opts.now;
    this.policy = { ...DEFAULT_REDRAW_POLICY, ...opts.policy };
  }

  /** A floor message was just posted (chat.postMessage): its first redraw waits the gap from now. */
  opened(workspace: string, message: string): void {
    const entry = this.#entry(workspace, message);
    entry.lastDrawnAt = this.#now();
    delete entry.closed;
  }

  /** The message's floor changed: it is pending with this state (replacing any older pending state). */
  change(workspace: string, message: string, state: S): void {
    const entry = this.#entry(workspace, message);
    if (entry.closed) return;
    entry.version++;
    entry.pending = { state, since: entry.pending?.since ?? this.#now() };
  }

  /**
   * The message is closed (paused, deleted): its pending draw is dropped and later changes are ignored
   * until `opened` again (a Refresh). `forget` drops what is kept of it once no event can name it.
   */
  close(workspace: string, message: string): void {
    const entry = this.#entry(workspace, message);
    delete entry.pending;
    entry.closed = true;
  }

  forget(workspace: string, message: string): void {
    this.#messages.delete(keyOf(workspace, message));
  }

  /** Slack answered `Retry-After` for this workspace: no draw until it has passed. */
  rateLimited(workspace: string, retryAfterMs: number): void {
    const ws = this.#workspace(workspace);
    ws.pausedUntil = Math.max(ws.pausedUntil, this.#now() + Math.max(0, retryAfterMs));
  }

  /**
   * A draw did not happen (error, or 429 with `retryAfterMs`): it is pending again unless a newer
   * change is already pending. It still counts against the gap and the window (Slack counted the call).
   */
  failed(redraw: Redraw<S>, retryAfterMs?: number): void {
    if (retryAfterMs !== undefined) this.rateLimited(redraw.workspace, retryAfterMs);
    const entry = this.#messages.get(keyOf(redraw.workspace, redraw.message));
    if (!entry || entry.pending || entry.closed) return;
    entry.pending = { state: redraw.state, since: this.#now() };
  }

  /** The draws to make now (each marked drawn), least recently drawn first, within every limit. */
  take(): Redraw<S>[] {
    const now = this.#now();
    const out: Redraw<S>[] = [];
    for (const [name, entries] of this.#pendingByWorkspace()) {
      const ws = this.#workspace(name);
      this.#prune(ws, now);
      if (now < ws.pausedUntil) continue;
      const ready = entries.filter((e) => this.#gapPassed(e, now)).sort(fairOrder);
      for (const e of ready.slice(0, Math.max(0, this.policy.perWindow - ws.draws.length))) {
        const pending = e.pending as { state: S };
        out.push({ workspace: e.workspace, message: e.message, state: pending.state, version: e.version });
        delete e.pending;
        e.lastDrawnAt = now;
        ws.draws.push(now);
      }
    }
    return out;
  }

  /** When `take()` will next have a draw (ms epoch; `now` or earlier means at once), or undefined. */
  nextDueAt(): number | undefined {
    const now = this.#now();
    let next: number | undefined;
    for (const [name, entries] of this.#pendingByWorkspace()) {
      const ws = this.#workspace(name);
      this.#prune(ws, now);
      const full = ws.draws.length >= this.policy.perWindow;
      const windowFree = full
        ? (ws.draws[ws.draws.length - this.policy.perWindow] ?? now) + this.policy.windowMs
        : 0;
      for (const e of entries) {
        const gap = e.lastDrawnAt === undefined ? 0 : e.lastDrawnAt + this.policy.minGapMs;
        const at = Math.max(gap, ws.pausedUntil, windowFree);
        if (next === undefined || at < next) next = at;
      }
    }
    return next;
  }

  /** Messages with a change not yet drawn (in one workspace, or all). */
  pendingCount(workspace?: string): number {
    let n = 0;
    for (const e of this.#messages.values())
      if (e.pending && (workspace === undefined || e.workspace === workspace)) n++;
    return n;
  }

  #entry(workspace: string, message: string): MessageEntry<S> {
    const key = keyOf(workspace, message);
    let entry = this.#messages.get(key);
    if (!entry) {
      entry = { workspace, message, version: 0 };
      this.#messages.set(key, entry);
    }
    return entry;
  }

  #workspace(name: string): WorkspaceEntry {
    let ws = this.#workspaces.get(name);
    if (!ws) {
      ws = { draws: [], pausedUntil: 0 };
      this.#workspaces.set(name, ws);
    }
    return ws;
  }

  #prune(ws: WorkspaceEntry, now: number): void {
    const from = now - this.policy.windowMs;
    while (ws.draws.length && (ws.draws[0] as number) <= from) ws.draws.shift();
  }

  #gapPassed(e: MessageEntry<S>, now: number): boolean {
    return e.lastDrawnAt === undefined || now - e.lastDrawnAt >= this.policy.minGapMs;
  }

  #pendingByWorkspace(): Map<string, MessageEntry<S>[]> {
    const by = new Map<string, MessageEntry<S>[]>();
    for (const e of this.#messages.values()) {
      if (!e.pending) continue;
      const list = by.get(e.workspace);
      if (list) list.push(e);
      else by.set(e.workspace, [e]);
    }
    return by;
  }
}

/** Least recently drawn first (never drawn first of all), then the longest waiting, then by name. */
function fairOrder<S>(a: MessageEntry<S>, b: MessageEntry<S>): number {
  const da = a.lastDrawnAt ?? Number.NEGATIVE_INFINITY;
  const db = b.lastDrawnAt ?? Number.NEGATIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  const pa = a.pending?.since ?? 0;
  const pb = b.pending?.since ?? 0;
  if (pa !== pb) return pa - pb;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

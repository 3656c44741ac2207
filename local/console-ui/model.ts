/** The page's state: what the bridge sent (state + SSE events) and what the person chose (user, tab, thread). */
import type { ConsoleState, FileMeta, Msg, SlackEvent, Snapshot, User, View } from './types';

export type Tab = 'channel' | 'home' | 'dm';

export const model = {
  ready: false,
  live: false,
  state: undefined as ConsoleState | undefined,
  messages: new Map<string, Msg>(),
  views: new Map<string, View>(),
  homes: new Map<string, View>(),
  files: new Map<string, FileMeta>(),
  sim: null as Snapshot | null,
  /** Local time minus the simulator's clock when the snapshot arrived (call durations tick locally). */
  simSkew: 0,
  user: 'U_DEMO',
  tab: 'channel' as Tab,
  channel: 'C_QC',
  thread: null as { channel: string; ts: string } | null,
  /** response_action errors per modal id (shown under the inputs until the next submit). */
  modalErrors: new Map<string, Record<string, string>>(),
  /** A notice in the modal ("We had some trouble connecting"). */
  modalNotice: new Map<string, string>(),
};

const key = (m: { channel: string; ts: string }) => `${m.channel}/${m.ts}`;

let scheduled = false;
let renderFn: () => void = () => {};

export function onRender(fn: () => void): void {
  renderFn = fn;
}

/** Re-render on the next frame (many SSE events in a burst → one render). */
export function changed(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    renderFn();
  });
}

export function load(state: ConsoleState): void {
  model.state = state;
  model.messages = new Map(state.messages.map((m) => [key(m), m]));
  model.views = new Map(state.views.map((v) => [v.id, v]));
  model.homes = new Map(Object.entries(state.homes));
  model.files = new Map(state.files.map((f) => [f.id, f]));
  setSim(state.sim);
  if (!state.users.some((u) => u.id === model.user)) model.user = state.users[0]?.id ?? model.user;
  model.channel = state.channels[0]?.id ?? model.channel;
  model.ready = true;
  changed();
}

export function setSim(sim: Snapshot | null): void {
  model.sim = sim;
  if (sim) model.simSkew = Date.now() - sim.now;
  changed();
}

export function apply(e: SlackEvent): void {
  switch (e.type) {
    case 'message':
    case 'update':
      model.messages.set(key(e.message), e.message);
      break;
    case 'delete':
      model.messages.delete(key(e.message));
      break;
    case 'view':
      model.views.set(e.view.id, e.view);
      break;
    case 'home':
      if (e.view.user) model.homes.set(e.view.user, e.view);
      break;
    case 'file':
      model.files.set(e.file.id, e.file);
      break;
    case 'reset':
      model.messages.clear();
      model.views.clear();
      model.homes.clear();
      model.files.clear();
      model.thread = null;
      break;
  }
  changed();
}

export function me(): User | undefined {
  return model.state?.users.find((u) => u.id === model.user);
}

/** Compares Slack ts strings ('1732530000.000100') exactly. */
export function cmpTs(a: string, b: string): number {
  const [as = '', af = ''] = a.split('.');
  const [bs = '', bf = ''] = b.split('.');
  return Number(as) - Number(bs) || Number(af) - Number(bf);
}

const visibleTo = (m: Msg, user: string) =>
  !m.deleted && (m.ephemeralTo === undefined || m.ephemeralTo === user);
const isReply = (m: Msg) => m.threadTs !== undefined && m.threadTs !== m.ts;

/** The channel as `user` sees it: top-level messages (and broadcast replies), their ephemerals included. */
export function channelMessages(channel: string, user: string): Msg[] {
  return [...model.messages.values()]
    .filter((m) => m.channel === channel && visibleTo(m, user) && (!isReply(m) || m.replyBroadcast))
    .sort((a, b) => cmpTs(a.ts, b.ts));
}

/** Replies in a thread as `user` sees them. */
export function replies(channel: string, ts: string, user: string): Msg[] {
  return [...model.messages.values()]
    .filter((m) => m.channel === channel && m.threadTs === ts && m.ts !== ts && visibleTo(m, user))
    .sort((a, b) => cmpTs(a.ts, b.ts));
}

/** "N replies" counts what everyone sees (no ephemerals). */
export function replyCount(channel: string, ts: string): number {
  let n = 0;
  for (const m of model.messages.values())
    if (
      m.channel === channel &&
      m.threadTs === ts &&
      m.ts !== ts &&
      !m.deleted &&
      m.ephemeralTo === undefined
    )
      n++;
  return n;
}

export function message(channel: string, ts: string): Msg | undefined {
  return model.messages.get(`${channel}/${ts}`);
}

/** The modal on top for `user`: the newest open one. */
export function topModal(user: string): View | undefined {
  let top: View | undefined;
  for (const v of model.views.values())
    if (
      v.type === 'modal' &&
      v.user === user &&
      v.closedAt === undefined &&
      (!top || v.openedAt >= top.openedAt)
    )
      top = v;
  return top;
}

export function userName(id: string): string {
  if (id === model.state?.bot.id) return model.state.bot.name;
  if (id === 'USLACKBOT') return 'Slackbot';
  return model.state?.users.find((u) => u.id === id)?.name ?? id;
}

export function channelName(id: string): string {
  return model.state?.channels.find((c) => c.id === id)?.name ?? id;
}

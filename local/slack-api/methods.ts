import { randomBytes } from 'node:crypto';
import { type ChannelInfo, type FakeState, nextId } from './state';
import type { StoredMessage, StoredView } from './store';
import { triggerExpired } from './triggers';
import { type Checked, checkContent, checkView, hasContent } from './validate';

/**
 * The Web API methods the fake implements. Each takes the (JSON-parsed, token-free) arguments and returns
 * Slack's JSON answer: `{ ok: true, … }` or `{ ok: false, error, response_metadata? }`.
 */

export type Args = Record<string, unknown>;
export type Answer = { ok: boolean; [key: string]: unknown };
/** About the HTTP request a method was called with (most methods ignore it). */
export interface CallContext {
  /** Where this fake is reachable, e.g. 'http://127.0.0.1:3000' (for URLs it hands out). */
  baseUrl: string;
  /** The arguments came as a JSON body (not form-encoded). */
  json: boolean;
}
export type Method = (state: FakeState, args: Args, ctx: CallContext) => Answer;

export const fail = (error: string, messages?: string[]): Answer =>
  messages?.length ? { ok: false, error, response_metadata: { messages } } : { ok: false, error };
const failed = (c: Checked<unknown> & { ok: false }): Answer => fail(c.error, c.messages);

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
export const bool = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Slack-style trigger_id: `<digits>.<digits>.<hex>`. */
export const TRIGGER_ID_RE = /^\d+\.\d+\.[0-9a-f]{16,64}$/i;

// ---- channels and users ----

/** The DM channel id for a user: stable, e.g. U_DEMO → D_DEMO, U0123 → D0123. */
export function dmChannelId(user: string): string {
  return `D${user.replace(/^[UW]/, '')}`;
}

export function openDm(state: FakeState, user: string): ChannelInfo {
  const id = dmChannelId(user);
  let ch = state.channels.get(id);
  if (!ch) {
    ch = { id, name: user, botIsMember: true, isIm: true, user };
    state.channels.set(id, ch);
  }
  return ch;
}

/** channel arg → channel: an id, a name ('qc' / '#qc'), or a user id (→ the bot's DM with that user). */
function findChannel(state: FakeState, channel: unknown): ChannelInfo | undefined {
  const c = str(channel);
  if (!c) return undefined;
  const byId = state.channels.get(c);
  if (byId) return byId;
  const name = c.replace(/^#/, '');
  for (const ch of state.channels.values()) if (!ch.isIm && ch.name === name) return ch;
  if (state.users.has(c)) return openDm(state, c);
  return undefined;
}

function channelForPosting(state: FakeState, channel: unknown): ChannelInfo | Answer {
  const ch = findChannel(state, channel);
  if (!ch) return fail('channel_not_found');
  if (!ch.botIsMember) return fail('not_in_channel');
  return ch;
}

const isAnswer = (v: ChannelInfo | Answer): v is Answer => 'ok' in v;

/** Whether `user` is in the channel: a DM's own person; a channel's members (everyone when not listed). */
function isMember(ch: ChannelInfo, user: string): boolean {
  if (ch.isIm) return ch.user === user;
  return ch.members === undefined || ch.members.includes(user);
}

export function channelName(state: FakeState, id: string): string {
  return state.channels.get(id)?.name ?? id;
}

// ---- message JSON as Slack returns it ----

export function messageJson(state: FakeState, m: StoredMessage): Answer & Record<string, unknown> {
  const json: Record<string, unknown> = {
    type: 'message',
    user: m.user,
    bot_id: m.botId,
    app_id: state.opts.appId,
    text: m.text ?? '',
    ts: m.ts,
    team: state.opts.teamId,
    bot_profile: {
      id: m.botId,
      name: state.opts.botName,
      app_id: state.opts.appId,
      team_id: state.opts.teamId,
    },
  };
  if (m.blocks) json.blocks = m.blocks;
  if (m.attachments) json.attachments = m.attachments;
  if (m.files) {
    json.files = m.files.map((f) => ({ id: f.id, name: f.name, title: f.title }));
    json.upload = true;
  }
  if (m.threadTs) json.thread_ts = m.threadTs;
  if (m.edits > 0) json.edited = { user: m.user, ts: `${Math.floor(m.updatedAt / 1000)}.000000` };
  return json as Answer & Record<string, unknown>;
}

export function newMessage(
  state: FakeState,
  fields: Omit<StoredMessage, 'ts' | 'user' | 'botId' | 'edits' | 'history' | 'postedAt' | 'updatedAt'>,
): StoredMessage {
  const now = state.store.clock();
  const m: StoredMessage = {
    ...fields,
    ts: state.store.nextTs(),
    user: state.opts.botUserId,
    botId: state.opts.botId,
    edits: 0,
    history: [],
    postedAt: now,
    updatedAt: now,
  };
  for (const k of Object.keys(m) as Array<keyof StoredMessage>) if (m[k] === undefined) delete m[k];
  return m;
}

/** Resolves thread_ts: a reply's ts is turned into its parent's (Slack threads are one level deep). */
export function resolveThread(
  state: FakeState,
  channel: string,
  threadTs: unknown,
): { ts?: string; warning?: string } {
  const ts = str(threadTs);
  if (!ts) return {};
  const parent = state.store.message(channel, ts);
  if (!parent) return { ts, warning: 'thread_ts_not_found' };
  return { ts: parent.threadTs ?? parent.ts };
}

// ---- chat.* ----

const postMessage: Method = (state, args) => {
  const ch = channelForPosting(state, args.channel);
  if (isAnswer(ch)) return ch;
  const content = checkContent(args, true);
  if (!content.ok) return failed(content);
  const thread = resolveThread(state, ch.id, args.thread_ts);
  const m = state.store.addMessage(
    newMessage(state, {
      channel: ch.id,
      threadTs: thread.ts,
      replyBroadcast: thread.ts && bool(args.reply_broadcast) ? true : undefined,
      ...content.value,
    }),
  );
  const answer: Answer = { ok: true, channel: ch.id, ts: m.ts, message: messageJson(state, m) };
  if (thread.warning) answer.response_metadata = { warnings: [thread.warning] };
  return answer;
};

const postEphemeral: Method = (state, args) => {
  const ch = channelForPosting(state, args.channel);
  if (isAnswer(ch)) return ch;
  const user = str(args.user);
  if (!user || !state.users.has(user)) return fail('user_not_found');
  if (!isMember(ch, user)) return fail('user_not_in_channel');
  const content = checkContent(args, true);
  if (!content.ok) return failed(content);
  const thread = resolveThread(state, ch.id, args.thread_ts);
  const m = state.store.addMessage(
    newMessage(state, { channel: ch.id, threadTs: thread.ts, ephemeralTo: user, ...content.value }),
  );
  return { ok: true, message_ts: m.ts };
};

function findOwnMessage(state: FakeState, args: Args): StoredMessage | Answer {
  const ch = findChannel(state, args.channel);
  if (!ch) return fail('channel_not_found');
  const ts = str(args.ts);
  if (!ts) return fail('message_not_found');
  const m = state.store.message(ch.id, ts);
  // Ephemeral messages can only be changed through their response_url, as in Slack.
  if (!m || m.deleted || m.ephemeralTo !== undefined) return fail('message_not_found');
  return m;
}

const update: Method = (state, args) => {
  const m = findOwnMessage(state, args);
  if ('ok' in m) return m;
  const content = checkContent(args, false);
  if (!content.ok) return failed(content);
  const next = {
    text: 'text' in content.value ? content.value.text : m.text,
    blocks: 'blocks' in content.value ? content.value.blocks : m.blocks,
    attachments: 'attachments' in content.value ? content.value.attachments : m.attachments,
  };
  if (!hasContent(next)) return fail('no_text');
  state.store.editMessage(m, content.value);
  return { ok: true, channel: m.channel, ts: m.ts, text: m.text ?? '', message: messageJson(state, m) };
};

const deleteMessage: Method = (state, args) => {
  const m = findOwnMessage(state, args);
  if ('ok' in m) return m;
  state.store.deleteMessage(m);
  return { ok: true, channel: m.channel, ts: m.ts };
};

const getPermalink: Method = (state, args) => {
  const m = findOwnMessage(state, { channel: args.channel, ts: args.message_ts });
  if ('ok' in m) return m;
  const base = state.publicBaseUrl ?? 'http://127.0.0.1';
  const thread = m.threadTs ? `?thread_ts=${m.threadTs}&cid=${m.channel}` : '';
  return {
    ok: true,
    channel: m.channel,
    permalink: `${base}/archives/${m.channel}/p${m.ts.replace('.', '')}${thread}`,
  };
};

// ---- conversations.*, users.*, auth.* ----

const conversationsOpen: Method = (state, args) => {
  const existing = str(args.channel);
  if (existing) {
    const ch = state.channels.get(existing);
    return ch ? { ok: true, channel: { id: ch.id }, already_open: true } : fail('channel_not_found');
  }
  const users = (str(args.users) ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (users.length === 0) return fail('users_list_not_supplied');
  for (const u of users) if (!state.users.has(u)) return fail('user_not_found');
  if (users.length === 1) {
    const user = users[0] as string;
    const already = state.channels.has(dmChannelId(user));
    return { ok: true, no_op: already, already_open: already, channel: { id: openDm(state, user).id } };
  }
  const id = `G${[...users]
    .sort()
    .join('')
    .replace(/[^A-Z0-9]/gi, '')}`;
  if (!state.channels.has(id))
    state.channels.set(id, { id, name: `mpdm-${users.join('--')}`, botIsMember: true, isIm: false });
  return { ok: true, channel: { id } };
};

const conversationsInfo: Method = (state, args) => {
  const ch = findChannel(state, args.channel);
  if (!ch) return fail('channel_not_found');
  return {
    ok: true,
    channel: {
      id: ch.id,
      name: ch.name,
      is_channel: !ch.isIm,
      is_im: ch.isIm,
      is_member: ch.botIsMember,
      user: ch.user,
    },
  };
};

const usersInfo: Method = (state, args) => {
  const id = str(args.user);
  if (id && id === state.opts.botUserId) {
    return {
      ok: true,
      user: {
        id,
        team_id: state.opts.teamId,
        name: state.opts.botName,
        real_name: state.opts.botName,
        is_bot: true,
        deleted: false,
        profile: {
          bot_id: state.opts.botId,
          display_name: state.opts.botName,
          real_name: state.opts.botName,
        },
      },
    };
  }
  const u = id ? state.users.get(id) : undefined;
  if (!u) return fail('user_not_found');
  const realName = u.realName ?? u.name;
  return {
    ok: true,
    user: {
      id: u.id,
      team_id: state.opts.teamId,
      name: u.name,
      real_name: realName,
      deleted: false,
      is_bot: false,
      is_admin: u.isAdmin ?? false,
      tz: 'Europe/London',
      profile: {
        display_name: u.name,
        display_name_normalized: u.name,
        real_name: realName,
        real_name_normalized: realName,
        team: state.opts.teamId,
      },
    },
  };
};

const authTest: Method = (state) => ({
  ok: true,
  url: `https://${state.opts.teamDomain}.slack.local/`,
  team: state.opts.teamDomain,
  user: state.opts.botName,
  team_id: state.opts.teamId,
  user_id: state.opts.botUserId,
  bot_id: state.opts.botId,
  is_enterprise_install: false,
});

// ---- views.* ----

/** Consumes a trigger_id: each can open one view. */
function useTrigger(state: FakeState, triggerId: unknown): { user?: string; triggerId: string } | Answer {
  const id = str(triggerId);
  if (!id) return fail('invalid_arguments', ['[ERROR] missing required field: trigger_id']);
  if (!TRIGGER_ID_RE.test(id)) return fail('invalid_trigger_id');
  if (state.usedTriggers.has(id) || triggerExpired(state, id)) return fail('expired_trigger_id');
  state.usedTriggers.add(id);
  const user = state.triggers.get(id)?.user;
  return user ? { user, triggerId: id } : { triggerId: id };
}

export const newHash = (state: FakeState) =>
  `${Math.floor(state.store.clock() / 1000)}.${randomBytes(4).toString('hex')}`;

export function viewJson(
  state: FakeState,
  id: string,
  hash: string,
  view: Record<string, unknown>,
  extra: Args = {},
) {
  return {
    id,
    team_id: state.opts.teamId,
    type: view.type,
    title: view.title,
    submit: view.submit ?? null,
    close: view.close ?? null,
    blocks: view.blocks,
    private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
    callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
    external_id: typeof view.external_id === 'string' ? view.external_id : '',
    state: { values: {} },
    hash,
    clear_on_close: bool(view.clear_on_close),
    notify_on_close: bool(view.notify_on_close),
    root_view_id: id,
    previous_view_id: null,
    app_id: state.opts.appId,
    app_installed_team_id: state.opts.teamId,
    bot_id: state.opts.botId,
    ...extra,
  };
}

function openView(state: FakeState, args: Args, push: boolean): Answer {
  const trigger = useTrigger(state, args.trigger_id ?? args.interactivity_pointer);
  if ('ok' in trigger) return trigger;
  const checked = checkView(args.view, 'modal', () => nextId(state, 'B'));
  if (!checked.ok) return failed(checked);
  const id = nextId(state, 'V');
  const hash = newHash(state);
  const now = state.store.clock();
  const previous = push
    ? [...state.store.views].reverse().find((v) => v.type === 'modal' && v.user === trigger.user)
    : undefined;
  const json = viewJson(state, id, hash, checked.value, previous ? { previous_view_id: previous.id } : {});
  const stored: StoredView = {
    id,
    type: 'modal',
    view: json,
    triggerId: trigger.triggerId,
    hash,
    openedAt: now,
    updatedAt: now,
    updates: 0,
  };
  if (trigger.user) stored.user = trigger.user;
  if (json.external_id) stored.externalId = json.external_id;
  if (previous) stored.previousViewId = previous.id;
  state.store.addView(stored);
  return { ok: true, view: json };
}

const viewsOpen: Method = (state, args) => openView(state, args, false);
const viewsPush: Method = (state, args) => openView(state, args, true);

const viewsUpdate: Method = (state, args) => {
  const viewId = str(args.view_id);
  const externalId = str(args.external_id);
  if (!viewId && !externalId)
    return fail('invalid_arguments', ['[ERROR] view_id or external_id is required']);
  const stored = state.store.views.find((v) => (viewId ? v.id === viewId : v.externalId === externalId));
  if (!stored) return fail('not_found');
  const hash = str(args.hash);
  if (hash && hash !== stored.hash) return fail('hash_conflict');
  const checked = checkView(args.view, stored.type, () => nextId(state, 'B'));
  if (!checked.ok) return failed(checked);
  stored.hash = newHash(state);
  stored.updatedAt = state.store.clock();
  stored.updates += 1;
  stored.view = viewJson(state, stored.id, stored.hash, checked.value, {
    previous_view_id: stored.previousViewId ?? null,
  });
  if (typeof stored.view.external_id === 'string' && stored.view.external_id)
    stored.externalId = stored.view.external_id;
  state.store.touchView(stored);
  return { ok: true, view: stored.view };
};

const viewsPublish: Method = (state, args) => {
  const user = str(args.user_id);
  if (!user) return fail('invalid_arguments', ['[ERROR] missing required field: user_id']);
  if (!state.users.has(user)) return fail('user_not_found');
  const checked = checkView(args.view, 'home', () => nextId(state, 'B'));
  if (!checked.ok) return failed(checked);
  const existing = state.store.homeViews.get(user);
  const hash = str(args.hash);
  if (existing && hash && hash !== existing.hash) return fail('hash_conflict');
  const now = state.store.clock();
  const id = existing?.id ?? nextId(state, 'V');
  const newH = newHash(state);
  const stored: StoredView = {
    id,
    type: 'home',
    view: viewJson(state, id, newH, checked.value),
    user,
    hash: newH,
    openedAt: existing?.openedAt ?? now,
    updatedAt: now,
    updates: existing ? existing.updates + 1 : 0,
  };
  state.store.publishHome(user, stored);
  return { ok: true, view: stored.view };
};

export const methods: Record<string, Method> = {
  'auth.test': authTest,
  'chat.postMessage': postMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.update': update,
  'chat.delete': deleteMessage,
  'chat.getPermalink': getPermalink,
  'conversations.open': conversationsOpen,
  'conversations.info': conversationsInfo,
  'users.info': usersInfo,
  'views.open': viewsOpen,
  'views.push': viewsPush,
  'views.update': viewsUpdate,
  'views.publish': viewsPublish,
};

/** Fields that arrive as JSON strings in form-encoded calls (WebClient's default encoding). */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'];

/** Parses the JSON-string fields of form-encoded args; leaves a field as is when it is not valid JSON. */
export function parseJsonFields(args: Args): Args {
  const out: Args = { ...args };
  for (const key of JSON_FIELDS) {
    const v = out[key];
    if (typeof v !== 'string' || v === '') continue;
    try {
      out[key] = JSON.parse(v);
    } catch {
      // left as a string: the method answers invalid_blocks / invalid_arguments
    }
  }
  return out;
}

export { isObj };

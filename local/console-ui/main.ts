/**
 * The qc-slack console: a Slack-like page over the local stack. Every action goes to the bridge
 * (/console/api/*), which signs it as Slack would and sends it to the real handlers; what the bot does
 * comes back over SSE from the local fake Slack. See docs/console.md.
 */
import './app.css';
import { ApiError, api } from './api';
import type { ButtonDef } from './blocks';
import { renderBlocks } from './blocks';
import { Composer } from './composer';
import { confirmDialog, ModalHost } from './dialogs';
import { fill, h } from './dom';
import { messageEl, reconcile } from './messages';
import {
  apply,
  changed,
  channelMessages,
  channelName,
  cmpTs,
  load,
  me,
  message,
  model,
  onRender,
  replies,
  replyCount,
  setSim,
  type Tab,
  topModal,
  userName,
} from './model';
import type { Resolve } from './mrkdwn';
import { SimPanel } from './sim-panel';
import type { ConsoleState, Msg, SlackEvent, Snapshot, View } from './types';

const resolve: Resolve = { user: userName, channel: channelName };

/** The open thread, kept over a reload like the user and the tab (sessionStorage: this browser tab only). */
const THREAD_KEY = 'qc-console-thread';

function savedThreadOf(raw: string | null): { channel: string; ts: string } | null {
  try {
    const v: unknown = raw ? JSON.parse(raw) : null;
    if (v && typeof v === 'object' && 'channel' in v && 'ts' in v) {
      const { channel, ts } = v;
      if (typeof channel === 'string' && typeof ts === 'string') return { channel, ts };
    }
  } catch {
    // A value this page did not write: no thread to restore.
  }
  return null;
}

// ---- feedback ----

const toasts = h('div', { class: 'toasts', 'data-testid': 'toast', role: 'status', 'aria-live': 'polite' });

function toast(text: string, kind: 'error' | 'info' = 'info'): void {
  const el = h('div', { class: `toast ${kind}` }, text);
  toasts.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

const errorText = (err: unknown) =>
  err instanceof ApiError || err instanceof Error ? err.message : String(err);

/** Runs a page action with its button busy; errors become a toast with the bridge's words. */
async function busy<T>(el: HTMLButtonElement | null, fn: () => Promise<T>): Promise<T | undefined> {
  el?.setAttribute('aria-busy', 'true');
  if (el) el.disabled = true;
  try {
    return await fn();
  } catch (err) {
    toast(errorText(err), 'error');
    return undefined;
  } finally {
    el?.removeAttribute('aria-busy');
    if (el) el.disabled = false;
  }
}

// ---- Block Kit buttons ----

async function press(
  def: ButtonDef,
  el: HTMLButtonElement,
  where: { channel: string; messageTs: string } | { viewId: string },
): Promise<void> {
  if (def.url) window.open(def.url, '_blank', 'noopener');
  // If the message (or Home) is redrawn while the dialog is open, the keyboard goes back to the same
  // button in the new drawing.
  const list = el.closest<HTMLElement>('.messages, .home-body');
  // By action_id and value: action_ids are unique per block only (every floor row's Take over shares one).
  const selector = `${'messageTs' in where ? `[data-ts="${CSS.escape(where.messageTs)}"] ` : ''}[data-action-id="${CSS.escape(def.action_id)}"]${def.value !== undefined ? `[data-value="${CSS.escape(def.value)}"]` : ''}`;
  const sameButton = () => list?.querySelector<HTMLElement>(selector) ?? keyboardHome();
  if (def.confirm && !(await confirmDialog(def.confirm, resolve, sameButton))) return;
  await busy(el, () =>
    api.action({
      user: model.user,
      ...where,
      actionId: def.action_id,
      ...(def.value !== undefined ? { value: def.value } : {}),
    }),
  );
}

const onMessageButton = (m: Msg, def: ButtonDef, el: HTMLButtonElement) =>
  void press(def, el, { channel: m.channel, messageTs: m.ts });

// ---- layout ----

const switcher = h('select', { id: 'user-switcher', 'data-testid': 'user-switcher' });
const status = h('span', { class: 'live', role: 'status' }, 'connecting…');

const tabButton = (tab: Tab, testid: string, label: string, icon: string) => {
  const b = h(
    'button',
    { type: 'button', class: 'nav-item', 'data-testid': testid, 'aria-controls': `${tab}-view` },
    h('span', { class: 'nav-icon', 'aria-hidden': 'true' }, icon),
    label,
  );
  b.addEventListener('click', () => selectTab(tab));
  return b;
};
const tabs: Record<Tab, HTMLButtonElement> = {
  channel: tabButton('channel', 'tab-channel', 'qc-floor', '#'),
  home: tabButton('home', 'tab-home', 'Home', '⌂'),
  dm: tabButton('dm', 'tab-dm', 'Messages', '✉'),
};
/** How many of the app's DMs arrived since the person last looked at Messages (shown on the tab). */
const dmUnread = h('span', { class: 'unread', 'data-testid': 'dm-unread', 'aria-hidden': 'true' });

const channelList = h('div', { class: 'messages', role: 'log', 'aria-label': 'Channel messages' });
const composer = new Composer({
  commands: () => model.state?.commands ?? [],
  subcommands: () => model.state?.subcommands ?? [],
  send: async (text) => {
    // Where the thread covers the channel (a narrow window), sending brings the channel back, so the
    // answer is seen; the keyboard stays in the message box.
    if (model.thread && getComputedStyle(channelList).visibility === 'hidden') {
      model.thread = null;
      changed();
    }
    await api.command(model.user, model.channel, text);
    return true;
  },
});
const threadTitle = h('span', { class: 'muted' });
const threadClose = h(
  'button',
  { type: 'button', class: 'icon', 'data-testid': 'thread-close', 'aria-label': 'Close thread' },
  '×',
);
const threadBody = h('div', { class: 'messages' });
const threadPane = h(
  'aside',
  { class: 'thread-pane', 'data-testid': 'thread-pane', 'aria-labelledby': 'thread-title', hidden: true },
  h(
    'header',
    { class: 'view-head' },
    h('h2', { id: 'thread-title', tabindex: '-1' }, 'Thread'),
    threadTitle,
    threadClose,
  ),
  threadBody,
);
let threadOpener: HTMLElement | null = null;
threadClose.addEventListener('click', closeThread);
const channelView = h(
  'section',
  {
    id: 'channel-view',
    class: 'view channel-view',
    'data-testid': 'channel-view',
    'aria-labelledby': 'channel-title',
  },
  h(
    'header',
    { class: 'view-head' },
    h('h1', { id: 'channel-title' }, '# qc-floor'),
    h('span', { class: 'muted' }, 'Results and alerts of qc-slack; follow-up gateway events in threads'),
  ),
  channelList,
  // Beside the channel when there is room; over its messages (the message box stays) when not.
  threadPane,
  composer.el,
);

const homeBody = h('div', { class: 'home-body' });
const homeView = h(
  'section',
  {
    id: 'home-view',
    class: 'view home-view',
    'data-testid': 'home-view',
    'aria-labelledby': 'home-title',
    hidden: true,
  },
  h(
    'header',
    { class: 'view-head' },
    h('h1', { id: 'home-title' }, 'qc-slack'),
    h('span', { class: 'muted' }, 'Home'),
  ),
  homeBody,
);

const dmList = h('div', { class: 'messages', role: 'log', 'aria-label': 'Direct messages from qc-slack' });
const dmView = h(
  'section',
  {
    id: 'dm-view',
    class: 'view dm-view',
    'data-testid': 'dm-view',
    'aria-labelledby': 'dm-title',
    hidden: true,
  },
  h(
    'header',
    { class: 'view-head' },
    h('h1', { id: 'dm-title' }, 'qc-slack'),
    h('span', { class: 'muted' }, 'Messages (read only)'),
  ),
  dmList,
  h(
    'p',
    { class: 'read-only muted' },
    'The app’s Messages tab is read only: floors (/qc floor), session-ended notices, answers to Home clicks and audit exports arrive here; their buttons work.',
  ),
);

const simPanel = new SimPanel({
  call: (agentId, action, el) =>
    void busy(el, async () => {
      const out = await api.simCall(agentId, action);
      if (out.sim) setSim(out.sim as Snapshot);
    }),
  alert: (agent, call, el) =>
    void busy(el, async () => {
      const reasons = [
        'Customer asked for a supervisor',
        'Long silence on the call',
        'Negative sentiment detected',
      ];
      await api.alert({
        channel: model.channel,
        agentId: agent.id,
        reason: reasons[Math.floor(Math.random() * reasons.length)] ?? 'Customer asked for a supervisor',
        severity: 'critical',
        ...(call ? { customer: call.caller } : {}),
      });
      toast(`Alert for agent ${agent.id} posted in #${channelName(model.channel)}`);
    }),
  inject: (kind, el) =>
    void busy(el, async () => {
      const out = await api.injectFault(kind);
      if (out.sim) setSim(out.sim as Snapshot);
    }),
  clear: (el) =>
    void busy(el, async () => {
      const out = await api.clearFaults();
      if (out.sim) setSim(out.sim as Snapshot);
    }),
  traffic: (change, el) =>
    void busy(el, async () => {
      const out = await api.setTraffic(change);
      if (out.sim) setSim(out.sim as Snapshot);
    }),
});

const modal = new ModalHost({
  ctx: {
    resolve,
    onButton: (def, el) => {
      const view = topModal(model.user);
      if (view) void press(def, el, { viewId: view.id });
    },
  },
  submit: async (view, values) => {
    model.modalNotice.delete(view.id);
    const out = await busy(null, () => api.submitView(model.user, view.id, values));
    if (!out) return;
    if (out.response_action === 'errors')
      model.modalErrors.set(view.id, (out.errors ?? {}) as Record<string, string>);
    else model.modalErrors.delete(view.id);
    if (out.response_action === 'failed')
      model.modalNotice.set(view.id, String(out.message ?? 'Something went wrong'));
    changed();
  },
  close: (view: View) => {
    // Closed at once on the page; the bridge tells the fake Slack (and the app, if it asked).
    model.views.set(view.id, { ...view, closedAt: Date.now() });
    changed();
    void busy(null, () => api.closeView(model.user, view.id));
  },
  fallbackFocus: keyboardHome,
});

const app = document.getElementById('app') ?? document.body;
fill(
  app,
  h(
    'header',
    { class: 'topbar' },
    h('span', { class: 'brand' }, 'qc-slack ', h('span', { class: 'muted' }, 'local console')),
    h('label', { for: 'user-switcher', class: 'switcher' }, 'Acting as ', switcher),
    status,
  ),
  h(
    'div',
    { class: 'layout' },
    h(
      'nav',
      { class: 'sidebar', 'aria-label': 'Workspace' },
      h('div', { class: 'workspace' }, 'Local workspace'),
      h('div', { class: 'nav-section' }, 'Channels'),
      tabs.channel,
      h('div', { class: 'nav-section' }, 'Apps'),
      h('div', { class: 'nav-app' }, 'qc-slack'),
      tabs.home,
      tabs.dm,
      h(
        'p',
        { class: 'sidebar-note' },
        'Every click and command here is a request signed as Slack signs it, sent to the app’s own /slack/events.',
      ),
    ),
    h('main', { class: 'main' }, channelView, homeView, dmView),
    simPanel.el,
  ),
  toasts,
);

// ---- behaviour ----

/** Where the keyboard goes when what had it is gone: the message box in #qc-floor, else the open tab. */
function keyboardHome(): HTMLElement | null {
  return model.tab === 'channel' && !composer.input.disabled ? composer.input : tabs[model.tab];
}

/** A field that takes typing: Esc there belongs to the field (the message box closes its list). */
const isTextField = (t: EventTarget | null) =>
  t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;

function selectTab(tab: Tab): void {
  model.tab = tab;
  sessionStorage.setItem('qc-console-tab', tab);
  if (tab === 'home') void busy(null, () => api.home(model.user));
  changed();
}

function openThread(m: Msg, opener: HTMLElement): void {
  model.thread = { channel: m.channel, ts: m.ts };
  threadOpener = opener;
  changed();
  requestAnimationFrame(() => document.getElementById('thread-title')?.focus());
}

function closeThread(): void {
  if (!model.thread) return;
  const ts = model.thread.ts;
  model.thread = null;
  changed();
  requestAnimationFrame(() => {
    const back =
      threadOpener?.isConnected === true
        ? threadOpener
        : channelList.querySelector<HTMLElement>(`[data-ts="${ts}"] [data-testid="reply-count"]`);
    back?.focus();
  });
}

switcher.addEventListener('change', () => {
  model.user = switcher.value;
  sessionStorage.setItem('qc-console-user', model.user);
  if (model.tab === 'home') void busy(null, () => api.home(model.user));
  changed();
});

document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape' || document.querySelector('dialog[open]') || isTextField(e.target)) return;
  if (model.thread) {
    e.preventDefault();
    closeThread();
  }
});

// ---- render ----

function messageItems(list: Msg[], withThreads: boolean) {
  return list.map((m) => {
    const count = withThreads ? replyCount(m.channel, m.ts) : 0;
    const files = (m.files ?? []).map((f) => (model.files.has(f.id) ? 1 : 0)).join('');
    return {
      key: `${m.channel}/${m.ts}`,
      version: `${m.updatedAt}|${m.edits}|${count}|${files}`,
      build: () =>
        messageEl(m, {
          resolve,
          onButton: onMessageButton,
          ...(withThreads ? { replyCount: count, onOpenThread: openThread } : {}),
        }),
    };
  });
}

let homeShown = '';
let usersShown = '';

/** The app's DMs as the person sees them, oldest first. */
function dmMessages(): Msg[] {
  const dm = me()?.dm;
  if (!dm) return [];
  return [...model.messages.values()]
    .filter(
      (m) => m.channel === dm && !m.deleted && (m.ephemeralTo === undefined || m.ephemeralTo === model.user),
    )
    .sort((a, b) => cmpTs(a.ts, b.ts));
}

/** Messages counts what arrived since it was last open (per user, kept over a reload). */
function renderUnread(dms: Msg[]): void {
  const readKey = `qc-console-dm-read:${model.user}`;
  const newest = dms.at(-1)?.ts;
  if (model.tab === 'dm' && newest) sessionStorage.setItem(readKey, newest);
  const read = sessionStorage.getItem(readKey) ?? '0';
  const unread = model.tab === 'dm' ? 0 : dms.filter((m) => cmpTs(m.ts, read) > 0).length;
  if (unread > 0) {
    dmUnread.textContent = String(unread);
    if (!dmUnread.isConnected) tabs.dm.append(dmUnread);
    tabs.dm.setAttribute('aria-label', `Messages, ${unread} unread`);
  } else {
    dmUnread.remove();
    tabs.dm.removeAttribute('aria-label');
  }
  tabs.dm.classList.toggle('has-unread', unread > 0);
}

/** The thread pane, beside or over the channel (CSS decides by the room); kept over a reload. */
function renderThread(): void {
  const t = model.thread;
  const parent = t ? message(t.channel, t.ts) : undefined;
  if (t && !parent) model.thread = null;
  threadPane.hidden = !parent;
  channelView.classList.toggle('with-thread', parent !== undefined);
  if (t && parent) {
    threadTitle.textContent = `#${channelName(t.channel)}`;
    reconcile(threadBody, messageItems([parent, ...replies(t.channel, t.ts, model.user)], false));
    sessionStorage.setItem(THREAD_KEY, JSON.stringify(t));
  } else {
    sessionStorage.removeItem(THREAD_KEY);
  }
}

function render(): void {
  const state = model.state;
  if (!state) return;
  const user = model.user;

  const usersKey = state.users.map((u) => u.id).join();
  if (usersKey !== usersShown) {
    usersShown = usersKey;
    switcher.replaceChildren(
      ...state.users.map((u) =>
        h(
          'option',
          { value: u.id },
          `${u.realName} (${u.id}) — ${u.role === 'inspector' ? `inspector ${u.inspectorId}` : u.role === 'admin' ? 'admin' : 'not linked'}`,
        ),
      ),
    );
  }
  if (switcher.value !== user) switcher.value = user;
  status.textContent = model.live ? '● live' : 'reconnecting…';
  status.classList.toggle('off', !model.live);

  renderUnread(dmMessages());
  for (const [tab, b] of Object.entries(tabs) as [Tab, HTMLButtonElement][]) {
    b.classList.toggle('active', model.tab === tab);
    if (model.tab === tab) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
  channelView.hidden = model.tab !== 'channel';
  homeView.hidden = model.tab !== 'home';
  dmView.hidden = model.tab !== 'dm';

  reconcile(channelList, messageItems(channelMessages(model.channel, user), true));

  const dms = dmMessages();
  reconcile(
    dmList,
    dms.length
      ? messageItems(dms, false)
      : [
          {
            key: 'empty',
            version: '',
            build: () => h('p', { class: 'muted empty' }, 'No messages from qc-slack yet.'),
          },
        ],
  );

  const home = model.homes.get(user);
  const homeKey = `${user}|${home?.hash ?? ''}`;
  if (homeKey !== homeShown) {
    homeShown = homeKey;
    fill(
      homeBody,
      home
        ? renderBlocks(home.view.blocks ?? [], {
            resolve,
            onButton: (def, el) => void press(def, el, { viewId: home.id }),
          })
        : h('p', { class: 'muted' }, 'Opening your Home tab…'),
    );
  }

  renderThread();

  const top = topModal(user);
  modal.render(top, (top && model.modalErrors.get(top.id)) || {}, top && model.modalNotice.get(top.id));

  simPanel.setPresets(state.faultPresets);
  simPanel.render(model.sim);
}

onRender(render);

// ---- data: the state at once and the event stream in parallel; events that arrive while a state
// request is out are applied after it (they are upserts, so applying one twice is harmless). Each time
// the stream (re)opens the state is read again, so nothing that happened before it opened is missed.

function connect(): void {
  let buffer: SlackEvent[] | null = null;
  const refresh = () => {
    buffer ??= [];
    api.state().then(
      (state: ConsoleState) => {
        const pending = buffer ?? [];
        buffer = null;
        load(state);
        for (const e of pending) apply(e);
        if (!composerReady) {
          composerReady = true;
          composer.enable(`Message #${channelName(model.channel)} — / for commands`);
          app.removeAttribute('aria-busy');
          performance.mark('qc-console-ready'); // page load, measured in docs/console.md
          if (model.tab === 'home') void busy(null, () => api.home(model.user));
        }
        changed();
      },
      (err: unknown) => {
        buffer = null;
        toast(`Could not load the console state: ${errorText(err)}`, 'error');
      },
    );
  };
  const source = new EventSource('/console/api/events');
  refresh();
  source.addEventListener('open', () => {
    model.live = true;
    refresh();
  });
  source.addEventListener('slack', (e) => {
    const event = JSON.parse((e as MessageEvent<string>).data) as SlackEvent;
    if (buffer) buffer.push(event);
    else apply(event);
  });
  source.addEventListener('sim', (e) => setSim(JSON.parse((e as MessageEvent<string>).data) as Snapshot));
  source.addEventListener('error', () => {
    model.live = false;
    changed();
  });
}

let composerReady = false;
const savedThread = savedThreadOf(sessionStorage.getItem(THREAD_KEY));
if (savedThread) model.thread = savedThread;
const savedUser = sessionStorage.getItem('qc-console-user');
if (savedUser) model.user = savedUser;
const savedTab = sessionStorage.getItem('qc-console-tab') as Tab | null;
if (savedTab === 'channel' || savedTab === 'home' || savedTab === 'dm') model.tab = savedTab;
connect();

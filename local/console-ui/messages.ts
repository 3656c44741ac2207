/** Messages as Slack shows them (author, time, edited, "Only visible to you", blocks, files, replies). */
import { type ButtonDef, renderBlocks } from './blocks';
import { h } from './dom';
import { model, userName } from './model';
import { mrkdwn, type Resolve } from './mrkdwn';
import type { Msg } from './types';

export interface MessageCtx {
  resolve: Resolve;
  onButton(m: Msg, button: ButtonDef, el: HTMLButtonElement): void;
  /** Set in the channel: "N replies" opens the thread. */
  onOpenThread?(m: Msg, opener: HTMLButtonElement): void;
  replyCount?: number;
}

export function clock(ts: string): string {
  const d = new Date(Number(ts.split('.')[0]) * 1000);
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function messageEl(m: Msg, ctx: MessageCtx): HTMLElement {
  const bot = m.botId !== '';
  const author = userName(m.user);
  const body =
    m.blocks && m.blocks.length > 0
      ? renderBlocks(m.blocks, {
          resolve: ctx.resolve,
          onButton: (b, el) => ctx.onButton(m, b, el),
        })
      : h('div', { class: 'msg-plain' }, ...mrkdwn(m.text ?? '', ctx.resolve));
  const files = (m.files ?? []).map((f) => {
    const meta = model.files.get(f.id);
    return h(
      'div',
      { class: 'file' },
      h('span', { class: 'file-icon', 'aria-hidden': 'true' }, '📄'),
      meta
        ? h(
            'a',
            { href: meta.url, download: f.name, 'data-testid': 'file-link', class: 'file-link' },
            f.title || f.name,
          )
        : h('span', { class: 'file-link pending' }, f.title || f.name),
      meta ? h('span', { class: 'file-size' }, ` ${formatBytes(meta.size)}`) : null,
    );
  });
  const count = ctx.replyCount ?? 0;
  let opener: HTMLButtonElement | null = null;
  if (ctx.onOpenThread && count > 0) {
    const button = h(
      'button',
      { type: 'button', class: 'reply-count', 'data-testid': 'reply-count' },
      `${count} ${count === 1 ? 'reply' : 'replies'}`,
    );
    button.addEventListener('click', () => ctx.onOpenThread?.(m, button));
    opener = button;
  }
  return h(
    'div',
    {
      class: `msg${m.ephemeralTo ? ' ephemeral' : ''}`,
      'data-testid': 'message',
      'data-ts': m.ts,
      'data-user': m.user,
      'data-bot': bot ? 'true' : undefined,
      'data-ephemeral': m.ephemeralTo ? 'true' : undefined,
      'data-edited': m.edits > 0 ? 'true' : undefined,
      role: 'article',
      'aria-label': `${author} at ${clock(m.ts)}`,
    },
    h(
      'div',
      { class: `avatar${bot ? ' bot' : ''}`, 'aria-hidden': 'true' },
      author.slice(0, 2).toUpperCase(),
    ),
    h(
      'div',
      { class: 'msg-main' },
      h(
        'div',
        { class: 'msg-meta' },
        h('span', { class: 'author' }, author),
        bot ? h('span', { class: 'app-badge' }, 'APP') : null,
        h('time', { datetime: new Date(Number(m.ts.split('.')[0]) * 1000).toISOString() }, clock(m.ts)),
        m.edits > 0 ? h('span', { class: 'edited' }, '(edited)') : null,
      ),
      m.ephemeralTo ? h('div', { class: 'ephemeral-label' }, '👁 Only visible to you') : null,
      h('div', { class: 'message-text', 'data-testid': 'message-text' }, body),
      files.length ? h('div', { class: 'files' }, ...files) : null,
      opener,
    ),
  );
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`;
}

interface Item {
  key: string;
  version: string;
  build(): HTMLElement;
}

const cache = new WeakMap<HTMLElement, Map<string, { version: string; el: HTMLElement }>>();

/**
 * Makes `container`'s children the items' elements, in order, reusing an element while its version is
 * the same (so focus and scroll stay put). Keeps the view at the bottom if it was there.
 */
/**
 * A message redrawn while the keyboard was in it (a live floor, an alert, a new reply): the same
 * control in the new drawing (a button by its action_id and value, else by its test id), or the message.
 */
function refocus(was: Element, el: HTMLElement): void {
  const action = was.getAttribute('data-action-id');
  const value = was.getAttribute('data-value');
  const testid = was.getAttribute('data-testid');
  const same = action
    ? [...el.querySelectorAll<HTMLElement>('[data-action-id]')].find(
        (b) => b.dataset.actionId === action && (value === null || b.dataset.value === value),
      )
    : testid && testid !== 'message'
      ? el.querySelector<HTMLElement>(`[data-testid="${CSS.escape(testid)}"]`)
      : null;
  if (same) {
    same.focus();
    return;
  }
  el.setAttribute('tabindex', '-1');
  el.focus();
}

export function reconcile(container: HTMLElement, items: Item[], scroller: HTMLElement = container): void {
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  const old = cache.get(container) ?? new Map<string, { version: string; el: HTMLElement }>();
  const next = new Map<string, { version: string; el: HTMLElement }>();
  let changed = false;
  items.forEach((item, i) => {
    const prev = old.get(item.key);
    const entry = prev && prev.version === item.version ? prev : { version: item.version, el: item.build() };
    next.set(item.key, entry);
    const at = container.children[i];
    if (at !== entry.el) {
      changed = true;
      if (prev && prev.el !== entry.el && prev.el.parentElement === container) {
        const focused = prev.el.contains(document.activeElement) ? document.activeElement : null;
        prev.el.replaceWith(entry.el);
        if (focused) refocus(focused, entry.el);
      }
      if (container.children[i] !== entry.el) container.insertBefore(entry.el, container.children[i] ?? null);
    }
  });
  while (container.children.length > items.length) {
    changed = true;
    container.lastElementChild?.remove();
  }
  cache.set(container, next);
  if (changed && atBottom) scroller.scrollTop = scroller.scrollHeight;
}

/** Block Kit → DOM: section (text, fields, accessory), context, divider, header, actions, image, input. */
import { h } from './dom';
import { mrkdwn, plain, type Resolve } from './mrkdwn';
import type { Obj } from './types';

export interface ButtonDef {
  action_id: string;
  value?: string;
  text?: { text?: string };
  style?: 'primary' | 'danger';
  url?: string;
  confirm?: {
    title?: { text?: string };
    text?: { type?: string; text?: string };
    confirm?: { text?: string };
    deny?: { text?: string };
    style?: string;
  };
}

export interface BlockCtx {
  resolve: Resolve;
  onButton(button: ButtonDef, el: HTMLButtonElement): void;
  /** Modal rendering: input blocks become form controls with their errors under them. */
  modal?: { errors: Record<string, string> };
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A text object (mrkdwn or plain_text) as nodes. */
export function textNodes(t: unknown, r: Resolve): Node[] {
  if (!isObj(t) || typeof t.text !== 'string') return [];
  return t.type === 'mrkdwn' ? mrkdwn(t.text, r) : [document.createTextNode(plain(t.text))];
}

export function textOf(t: unknown): string {
  return isObj(t) && typeof t.text === 'string' ? t.text : '';
}

function button(def: ButtonDef, ctx: BlockCtx): HTMLButtonElement {
  const el = h(
    'button',
    {
      type: 'button',
      class: `block-button${def.style ? ` style-${def.style}` : ''}`,
      'data-testid': 'block-button',
      'data-action-id': def.action_id,
      'data-value': def.value,
    },
    plain(textOf(def.text) || def.action_id),
  );
  el.addEventListener('click', () => ctx.onButton(def, el));
  return el;
}

function element(el: unknown, ctx: BlockCtx): Node | null {
  if (!isObj(el)) return null;
  switch (el.type) {
    case 'button':
      return typeof el.action_id === 'string' ? button(el as unknown as ButtonDef, ctx) : null;
    case 'image':
      return h('span', { class: 'block-image', role: 'img', 'aria-label': String(el.alt_text ?? '') }, '🖼');
    case 'mrkdwn':
    case 'plain_text':
      return h('span', { class: 'context-text' }, ...textNodes(el, ctx.resolve));
    default:
      return h('span', { class: 'block-unknown' }, `[${String(el.type)}]`);
  }
}

let inputSeq = 0;

function input(block: Obj, ctx: BlockCtx): HTMLElement {
  const blockId = String(block.block_id ?? '');
  const el = isObj(block.element) ? block.element : {};
  const actionId = String(el.action_id ?? '');
  const id = `in-${++inputSeq}`;
  const error = ctx.modal?.errors[blockId];
  const common = {
    id,
    'data-block-id': blockId,
    'data-action-id': actionId,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': error ? `${id}-err` : undefined,
  };
  let control: HTMLElement;
  if (el.type === 'static_select') {
    const initial = isObj(el.initial_option) ? el.initial_option.value : undefined;
    control = h(
      'select',
      common,
      h('option', { value: '' }, plain(textOf(el.placeholder) || 'Select an option')),
      ...arr(el.options).map((o) =>
        isObj(o)
          ? h(
              'option',
              { value: String(o.value ?? ''), selected: o.value === initial },
              plain(textOf(o.text)),
            )
          : null,
      ),
    );
  } else if (el.multiline === true) {
    control = h('textarea', { ...common, rows: 3, maxlength: el.max_length as number | undefined });
    (control as HTMLTextAreaElement).value = typeof el.initial_value === 'string' ? el.initial_value : '';
  } else {
    control = h('input', {
      ...common,
      // Slack has no password field; the console masks the CTI password so screenshots never show it.
      type: /password/i.test(actionId) ? 'password' : 'text',
      autocomplete: 'off',
      maxlength: el.max_length as number | undefined,
      placeholder: textOf(el.placeholder) || undefined,
      value: typeof el.initial_value === 'string' ? el.initial_value : undefined,
    });
  }
  return h(
    'div',
    { class: `block-input${error ? ' has-error' : ''}` },
    h(
      'label',
      { for: id },
      plain(textOf(block.label)),
      block.optional === true ? h('span', { class: 'optional' }, ' (optional)') : null,
    ),
    control,
    block.hint ? h('div', { class: 'hint' }, plain(textOf(block.hint))) : null,
    error
      ? h(
          'div',
          { class: 'modal-error', 'data-testid': 'modal-error', id: `${id}-err`, role: 'alert' },
          error,
        )
      : null,
  );
}

function block(b: unknown, ctx: BlockCtx): Node | null {
  if (!isObj(b)) return null;
  const r = ctx.resolve;
  switch (b.type) {
    case 'section': {
      const fields = arr(b.fields);
      return h(
        'div',
        { class: 'block block-section' },
        h(
          'div',
          { class: 'section-main' },
          b.text ? h('div', { class: 'section-text' }, ...textNodes(b.text, r)) : null,
          fields.length
            ? h(
                'div',
                { class: 'section-fields' },
                ...fields.map((f) => h('div', { class: 'field' }, ...textNodes(f, r))),
              )
            : null,
        ),
        b.accessory ? h('div', { class: 'section-accessory' }, element(b.accessory, ctx)) : null,
      );
    }
    case 'context':
      return h('div', { class: 'block block-context' }, ...arr(b.elements).map((e) => element(e, ctx)));
    case 'divider':
      return h('hr', { class: 'block block-divider' });
    case 'header':
      return h('h3', { class: 'block block-header' }, plain(textOf(b.text)));
    case 'actions':
      return h('div', { class: 'block block-actions' }, ...arr(b.elements).map((e) => element(e, ctx)));
    case 'image':
      return h('div', { class: 'block block-image' }, `🖼 ${String(b.alt_text ?? 'image')}`);
    case 'input':
      return ctx.modal ? input(b, ctx) : null;
    default:
      return h('div', { class: 'block block-unknown' }, `[unsupported block: ${String(b.type)}]`);
  }
}

export function renderBlocks(blocks: unknown[], ctx: BlockCtx): HTMLElement {
  return h('div', { class: 'blocks' }, ...blocks.map((b) => block(b, ctx)));
}

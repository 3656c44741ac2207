/**
 * Block Kit → readable plain text, for terminals, logs and test failure messages. Not a faithful layout:
 * one line per block (section fields one per line), buttons as `[Label]`, danger buttons as `[Label!]`.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

import { emojify } from './emoji';

/**
 * Slack mrkdwn → plain text, kept mostly as is (`*bold*` stays), but links and mentions made readable:
 * `<@U123>` → `@U123`, `<@U123|ann>` → `@ann`, `<#C1|qc>` → `#qc`, `<!here>` → `@here`,
 * `<url|label>` → `label`, `<url>` → `url`, and `&lt; &gt; &amp;` decoded.
 */
export function mrkdwnToPlain(text: string): string {
  const out = text.replace(/<([^<>]*)>/g, (_all, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar >= 0 ? inner.slice(0, bar) : inner;
    const label = bar >= 0 ? inner.slice(bar + 1) : undefined;
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
    if (target.startsWith('#')) return label ? `#${label.replace(/^#/, '')}` : target;
    if (target.startsWith('!')) {
      const special = target.slice(1);
      if (label) return label;
      if (special.startsWith('subteam^')) return `@${special.slice('subteam^'.length)}`;
      return `@${special}`;
    }
    return label ?? target;
  });
  return emojify(out).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A text object (`plain_text` or `mrkdwn`) → text. */
export function textOf(obj: unknown): string {
  if (typeof obj === 'string') return obj;
  if (!isObj(obj)) return '';
  const text = str(obj.text) ?? '';
  if (obj.type === 'mrkdwn') return mrkdwnToPlain(text);
  return obj.emoji === false ? text : emojify(text);
}

/** An interactive element (button, select, …) → `[Label]`. */
export function renderElement(el: unknown): string {
  if (!isObj(el)) return '';
  switch (el.type) {
    case 'button': {
      const label = textOf(el.text) || str(el.action_id) || 'button';
      return `[${label}${el.style === 'danger' ? '!' : ''}]`;
    }
    case 'image':
      return `[image: ${str(el.alt_text) ?? ''}]`;
    case 'overflow':
      return '[⋯]';
    case 'datepicker':
      return `[📅 ${str(el.initial_date) ?? textOf(el.placeholder)}]`;
    case 'timepicker':
      return `[🕒 ${str(el.initial_time) ?? textOf(el.placeholder)}]`;
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const value = str(el.initial_value) ?? textOf(el.placeholder);
      return `[${value || '…'}]`;
    }
    case 'checkboxes':
    case 'radio_buttons':
      return arr(el.options)
        .map((o) => `(${isObj(o) ? textOf(o.text) : ''})`)
        .join(' ');
    default: {
      const type = str(el.type) ?? 'element';
      if (type.includes('select')) {
        const initial = isObj(el.initial_option) ? textOf(el.initial_option.text) : '';
        return `[${initial || textOf(el.placeholder) || 'select'} ▾]`;
      }
      return `[${type}]`;
    }
  }
}

function renderRichText(el: unknown): string {
  if (!isObj(el)) return '';
  switch (el.type) {
    case 'text':
      return str(el.text) ?? '';
    case 'link':
      return str(el.text) ?? str(el.url) ?? '';
    case 'user':
      return `@${str(el.user_id) ?? ''}`;
    case 'usergroup':
      return `@${str(el.usergroup_id) ?? ''}`;
    case 'channel':
      return `#${str(el.channel_id) ?? ''}`;
    case 'broadcast':
      return `@${str(el.range) ?? ''}`;
    case 'emoji': {
      const unicode = str(el.unicode);
      if (unicode && /^[0-9a-f]+(-[0-9a-f]+)*$/i.test(unicode)) {
        return String.fromCodePoint(...unicode.split('-').map((h) => Number.parseInt(h, 16)));
      }
      return emojify(`:${str(el.name) ?? ''}:`);
    }
    case 'date':
      return str(el.fallback) ?? String(el.timestamp ?? '');
    case 'rich_text_section':
      return arr(el.elements).map(renderRichText).join('');
    case 'rich_text_preformatted':
      return `\`\`\`${arr(el.elements).map(renderRichText).join('')}\`\`\``;
    case 'rich_text_quote':
      return `> ${arr(el.elements).map(renderRichText).join('')}`;
    case 'rich_text_list': {
      const ordered = el.style === 'ordered';
      return arr(el.elements)
        .map((item, i) => `${ordered ? `${i + 1}.` : '•'} ${renderRichText(item)}`)
        .join('\n');
    }
    default:
      return arr(el.elements).map(renderRichText).join('');
  }
}

/** One block → lines of text. */
export function renderBlock(block: unknown): string[] {
  if (!isObj(block)) return [];
  switch (block.type) {
    case 'header':
      return [textOf(block.text)];
    case 'divider':
      return ['───'];
    case 'section': {
      const lines: string[] = [];
      const text = textOf(block.text);
      const accessory = block.accessory ? renderElement(block.accessory) : '';
      if (text || accessory) lines.push([text, accessory].filter(Boolean).join(' '));
      for (const f of arr(block.fields)) lines.push(textOf(f));
      return lines;
    }
    case 'context':
      return [
        arr(block.elements)
          .map((e) => (isObj(e) && e.type === 'image' ? renderElement(e) : textOf(e)))
          .filter(Boolean)
          .join('  '),
      ];
    case 'actions':
      return [arr(block.elements).map(renderElement).filter(Boolean).join(' ')];
    case 'image': {
      const title = textOf(block.title);
      return [`[image: ${str(block.alt_text) ?? ''}]${title ? ` ${title}` : ''}`];
    }
    case 'input': {
      const label = textOf(block.label);
      return [`${label}: ${renderElement(block.element)}`];
    }
    case 'rich_text':
      return renderRichText(block).split('\n');
    case 'markdown':
      return [str(block.text) ?? ''];
    case 'file':
      return ['[file]'];
    case 'video':
      return [`[video: ${textOf(block.title)}]`];
    default:
      return [`[${str(block.type) ?? 'block'}]`];
  }
}

/** Blocks → text, one line per block (section fields one per line). */
export function renderBlocks(blocks: unknown[]): string {
  return blocks.flatMap(renderBlock).join('\n');
}

/** A message → readable text: its blocks if it has any, else its (mrkdwn) text; files and attachments appended. */
export function renderMessage(msg: {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  files?: { name: string; title: string }[];
}): string {
  const parts: string[] = [];
  if (msg.blocks && msg.blocks.length > 0) parts.push(renderBlocks(msg.blocks));
  else if (msg.text) parts.push(mrkdwnToPlain(msg.text));
  for (const f of msg.files ?? []) parts.push(`📎 ${f.title}${f.title === f.name ? '' : ` (${f.name})`}`);
  for (const a of msg.attachments ?? []) {
    if (!isObj(a)) continue;
    const lines: string[] = [];
    if (Array.isArray(a.blocks)) lines.push(renderBlocks(a.blocks));
    const text = str(a.text) ?? str(a.fallback);
    if (str(a.title)) lines.push(str(a.title) ?? '');
    if (text) lines.push(mrkdwnToPlain(text));
    if (lines.length) parts.push(lines.map((l) => `▌ ${l}`).join('\n'));
  }
  return parts.join('\n');
}

/** A modal or home view → text: its title, then its blocks, then its submit/close buttons. */
export function renderView(view: unknown): string {
  if (!isObj(view)) return '';
  const lines: string[] = [];
  const title = textOf(view.title);
  if (title) lines.push(`┌ ${title}`);
  lines.push(renderBlocks(arr(view.blocks)));
  const buttons = [textOf(view.close), textOf(view.submit)].filter(Boolean).map((b) => `[${b}]`);
  if (buttons.length) lines.push(buttons.join(' '));
  return lines.filter(Boolean).join('\n');
}

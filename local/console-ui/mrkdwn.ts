/**
 * Slack mrkdwn → DOM nodes (never innerHTML): *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes,
 * <@U1> mentions, <#C1|name> channels, <!here>, <url|label> links, :emoji: and &lt; &gt; &amp;.
 */
import { emojify } from '../slack-api/emoji';
import { h } from './dom';

export type Resolve = { user(id: string): string; channel(id: string): string };

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const INLINE =
  /(`[^`\n]+`)|(<[^<>\n]+>)|(?<![\w*])(\*[^*\n]+\*)(?![\w*])|(?<![\w_])(_[^_\n]+_)(?![\w_])|(?<![\w~])(~[^~\n]+~)(?![\w~])/g;

function inline(text: string, r: Resolve): Node[] {
  const out: Node[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index ?? 0;
    if (at > last) out.push(document.createTextNode(emojify(decode(text.slice(last, at)))));
    const [all] = m;
    if (m[1]) out.push(h('code', {}, decode(all.slice(1, -1))));
    else if (m[2]) out.push(angle(all.slice(1, -1), r));
    else if (m[3]) out.push(h('strong', {}, ...inline(all.slice(1, -1), r)));
    else if (m[4]) out.push(h('em', {}, ...inline(all.slice(1, -1), r)));
    else if (m[5]) out.push(h('s', {}, ...inline(all.slice(1, -1), r)));
    last = at + all.length;
  }
  if (last < text.length) out.push(document.createTextNode(emojify(decode(text.slice(last)))));
  return out;
}

/** `<…>`: mentions, channels, specials, links. */
function angle(inner: string, r: Resolve): Node {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : decode(inner.slice(bar + 1));
  if (target.startsWith('@')) return h('span', { class: 'mention' }, `@${label ?? r.user(target.slice(1))}`);
  if (target.startsWith('#'))
    return h('span', { class: 'mention' }, `#${label ?? r.channel(target.slice(1))}`);
  if (target.startsWith('!')) {
    const special = target.slice(1).split('^')[0] ?? '';
    return h('span', { class: 'mention' }, label ?? `@${special}`);
  }
  const url = decode(target);
  if (/^(https?:|mailto:)/i.test(url))
    return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label ?? url);
  return document.createTextNode(label ?? url);
}

/** A mrkdwn string as block-level nodes (paragraph lines, quotes, code blocks). */
export function mrkdwn(text: string, r: Resolve): Node[] {
  const out: Node[] = [];
  const parts = text.split('```');
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      out.push(h('pre', {}, decode(part.replace(/^\n/, ''))));
      return;
    }
    if (part === '') return;
    const lines = part.split('\n');
    lines.forEach((line, j) => {
      if (line.startsWith('&gt; ') || line.startsWith('> ')) {
        out.push(h('blockquote', {}, ...inline(line.replace(/^(&gt;|>) /, ''), r)));
        return;
      }
      out.push(...inline(line, r));
      if (j < lines.length - 1) out.push(h('br'));
    });
  });
  return out;
}

/** Plain text (plain_text objects): emoji only. */
export function plain(text: string): string {
  return emojify(text);
}

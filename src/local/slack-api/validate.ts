import type { Block } from './store';

/**
 * Checks the fake applies to message content and views: the limits Slack enforces that an app is most likely
 * to hit (block count, text lengths, duplicate ids), with Slack's error names. Not the whole Block Kit schema.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const MAX_TEXT = 40_000;
export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string; messages: string[] };

const bad = <T>(error: string, message: string): Checked<T> => ({ ok: false, error, messages: [message] });

function textLength(obj: unknown): number {
  return isObj(obj) && typeof obj.text === 'string' ? obj.text.length : 0;
}

/** Problems in one interactive element, as `[ERROR] …` strings. */
function elementProblems(el: unknown, at: string): string[] {
  if (!isObj(el) || typeof el.type !== 'string')
    return [`[ERROR] element must be an object with a type [json-pointer:${at}]`];
  const out: string[] = [];
  if (typeof el.action_id === 'string' && el.action_id.length > 255) {
    out.push(`[ERROR] must be less than 256 characters [json-pointer:${at}/action_id]`);
  }
  if (el.type === 'button') {
    if (!isObj(el.text)) out.push(`[ERROR] missing required field: text [json-pointer:${at}]`);
    else if (textLength(el.text) > 75)
      out.push(`[ERROR] must be less than 76 characters [json-pointer:${at}/text/text]`);
    if (typeof el.value === 'string' && el.value.length > 2000) {
      out.push(`[ERROR] must be less than 2001 characters [json-pointer:${at}/value]`);
    }
    if (typeof el.url === 'string' && el.url.length > 3000) {
      out.push(`[ERROR] must be less than 3001 characters [json-pointer:${at}/url]`);
    }
    if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
      out.push(`[ERROR] must be one of primary, danger [json-pointer:${at}/style]`);
    }
  }
  return out;
}

/** Problems in one block (`at` is its json-pointer, e.g. `/blocks/2`). */
function blockProblems(block: Obj, at: string): string[] {
  const out: string[] = [];
  if (typeof block.block_id === 'string' && block.block_id.length > 255) {
    out.push(`[ERROR] must be less than 256 characters [json-pointer:${at}/block_id]`);
  }
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) {
        out.push(`[ERROR] must provide either text or fields [json-pointer:${at}]`);
      }
      if (textLength(block.text) > 3000)
        out.push(`[ERROR] must be less than 3001 characters [json-pointer:${at}/text/text]`);
      if (Array.isArray(block.fields)) {
        if (block.fields.length > 10)
          out.push(`[ERROR] must provide at most 10 items [json-pointer:${at}/fields]`);
        block.fields.forEach((f, i) => {
          if (textLength(f) > 2000)
            out.push(`[ERROR] must be less than 2001 characters [json-pointer:${at}/fields/${i}/text]`);
        });
      }
      if (block.accessory !== undefined) out.push(...elementProblems(block.accessory, `${at}/accessory`));
      break;
    }
    case 'header':
      if (!isObj(block.text)) out.push(`[ERROR] missing required field: text [json-pointer:${at}]`);
      else if (block.text.type !== 'plain_text')
        out.push(`[ERROR] must be plain_text [json-pointer:${at}/text/type]`);
      else if (textLength(block.text) > 150)
        out.push(`[ERROR] must be less than 151 characters [json-pointer:${at}/text/text]`);
      break;
    case 'actions': {
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        out.push(`[ERROR] must provide at least 1 item [json-pointer:${at}/elements]`);
        break;
      }
      if (block.elements.length > 25)
        out.push(`[ERROR] must provide at most 25 items [json-pointer:${at}/elements]`);
      const ids = new Set<string>();
      block.elements.forEach((el, i) => {
        out.push(...elementProblems(el, `${at}/elements/${i}`));
        const id = isObj(el) ? el.action_id : undefined;
        if (typeof id === 'string') {
          if (ids.has(id))
            out.push(
              `[ERROR] action_id must be unique within the block: ${id} [json-pointer:${at}/elements/${i}]`,
            );
          ids.add(id);
        }
      });
      break;
    }
    case 'context':
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        out.push(`[ERROR] must provide at least 1 item [json-pointer:${at}/elements]`);
      } else if (block.elements.length > 10) {
        out.push(`[ERROR] must provide at most 10 items [json-pointer:${at}/elements]`);
      }
      break;
    case 'input':
      if (!isObj(block.label)) out.push(`[ERROR] missing required field: label [json-pointer:${at}]`);
      if (!isObj(block.element)) out.push(`[ERROR] missing required field: element [json-pointer:${at}]`);
      else out.push(...elementProblems(block.element, `${at}/element`));
      break;
  }
  return out;
}

/** Validates `blocks` (already JSON-parsed); undefined stays undefined. Error `invalid_blocks`. */
export function checkBlocks(blocks: unknown, max: number, pointer = '/blocks'): Checked<Block[] | undefined> {
  if (blocks === undefined || blocks === null || blocks === '') return { ok: true, value: undefined };
  if (!Array.isArray(blocks))
    return bad('invalid_blocks', `[ERROR] must be an array [json-pointer:${pointer}]`);
  if (blocks.length > max) {
    return bad(
      'invalid_blocks',
      `[ERROR] must provide an array with no more than ${max} items [json-pointer:${pointer}]`,
    );
  }
  const problems: string[] = [];
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    if (!isObj(b) || typeof b.type !== 'string' || b.type === '') {
      problems.push(`[ERROR] block must be an object with a string type [json-pointer:${pointer}/${i}]`);
      return;
    }
    if (typeof b.block_id === 'string') {
      if (blockIds.has(b.block_id)) {
        problems.push(`[ERROR] duplicate block_id: ${b.block_id} [json-pointer:${pointer}/${i}/block_id]`);
      }
      blockIds.add(b.block_id);
    }
    problems.push(...blockProblems(b, `${pointer}/${i}`));
  });
  if (problems.length) return { ok: false, error: 'invalid_blocks', messages: problems };
  return { ok: true, value: blocks as Block[] };
}

export interface Content {
  text?: string;
  blocks?: Block[];
  attachments?: unknown[];
}

/**
 * Message content of chat.* and response_url posts. `requireSome`: at least text, blocks or attachments
 * (else `no_text`). Only the keys present in `args` are set on the result (chat.update keeps the others).
 */
export function checkContent(args: Obj, requireSome: boolean): Checked<Content> {
  const content: Content = {};
  if ('text' in args && args.text !== undefined && args.text !== null) {
    const text = String(args.text);
    if (text.length > MAX_TEXT)
      return bad('msg_too_long', `[ERROR] text is ${text.length} characters, max ${MAX_TEXT}`);
    content.text = text;
  }
  if ('blocks' in args && args.blocks !== undefined && args.blocks !== null) {
    const blocks = checkBlocks(args.blocks, MAX_MESSAGE_BLOCKS);
    if (!blocks.ok) return blocks;
    content.blocks = blocks.value ?? [];
  }
  if ('attachments' in args && args.attachments !== undefined && args.attachments !== null) {
    if (!Array.isArray(args.attachments))
      return bad('invalid_attachments', '[ERROR] attachments must be an array');
    content.attachments = args.attachments;
  }
  if (requireSome && !hasContent(content)) return bad('no_text', '[ERROR] no text, blocks or attachments');
  return { ok: true, value: content };
}

export function hasContent(c: Content): boolean {
  return Boolean(c.text) || (c.blocks?.length ?? 0) > 0 || (c.attachments?.length ?? 0) > 0;
}

/**
 * Validates a modal or home view (`views.open/push/update/publish`). Returns a copy with missing
 * `block_id`s / input `action_id`s filled in, as Slack does, so view_submission state can be keyed.
 */
export function checkView(
  view: unknown,
  expectType: 'modal' | 'home',
  newId: () => string,
): Checked<Obj & { blocks: Block[] }> {
  if (!isObj(view))
    return bad('invalid_arguments', '[ERROR] view must be a JSON object [json-pointer:/view]');
  if (view.type !== expectType) {
    return bad('invalid_arguments', `[ERROR] type must be ${expectType} [json-pointer:/view/type]`);
  }
  const problems: string[] = [];
  if (expectType === 'modal') {
    if (!isObj(view.title) || typeof view.title.text !== 'string') {
      problems.push('[ERROR] missing required field: title [json-pointer:/view/title]');
    } else if (view.title.type !== 'plain_text') {
      problems.push('[ERROR] must be plain_text [json-pointer:/view/title/type]');
    } else if (view.title.text.length > 24) {
      problems.push('[ERROR] must be less than 25 characters [json-pointer:/view/title/text]');
    }
    for (const key of ['submit', 'close'] as const) {
      if (view[key] !== undefined && textLength(view[key]) > 24) {
        problems.push(`[ERROR] must be less than 25 characters [json-pointer:/view/${key}/text]`);
      }
    }
  }
  if (!Array.isArray(view.blocks)) {
    problems.push('[ERROR] missing required field: blocks [json-pointer:/view/blocks]');
  } else {
    const blocks = checkBlocks(view.blocks, MAX_VIEW_BLOCKS, '/view/blocks');
    if (!blocks.ok) problems.push(...blocks.messages);
    else if (
      expectType === 'modal' &&
      view.submit === undefined &&
      view.blocks.some((b) => isObj(b) && b.type === 'input')
    ) {
      problems.push(
        '[ERROR] submit is required when an input block is within the blocks array [json-pointer:/view/submit]',
      );
    }
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) {
    problems.push('[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]');
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    problems.push('[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]');
  }
  if (problems.length) return { ok: false, error: 'invalid_arguments', messages: problems };
  const blocks = (view.blocks as Block[]).map((b) => {
    const copy: Block = { ...b, block_id: typeof b.block_id === 'string' ? b.block_id : newId() };
    if (b.type === 'input' && isObj(b.element) && typeof b.element.action_id !== 'string') {
      copy.element = { ...b.element, action_id: newId() };
    }
    return copy;
  });
  return { ok: true, value: { ...view, blocks } };
}

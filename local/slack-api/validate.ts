import { LIMITS } from '../../src/slack/blocks/limits';
import type { Block } from './store';

/**
 * Checks the fake applies to message content and views: the limits Slack enforces (block counts, text
 * lengths, confirm dialogs, inputs, duplicate ids, the total text of a message's blocks, a view's size),
 * with Slack's error names. The figures are the app's own table (src/slack/blocks/limits.ts), which is at
 * least as strict as Slack. Not the whole Block Kit schema.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const MAX_TEXT = LIMITS.messageText;
export const MAX_MESSAGE_BLOCKS = LIMITS.messageBlocks;
export const MAX_VIEW_BLOCKS = LIMITS.viewBlocks;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string; messages: string[] };

const bad = <T>(error: string, message: string): Checked<T> => ({ ok: false, error, messages: [message] });

function textLength(obj: unknown): number {
  return isObj(obj) && typeof obj.text === 'string' ? obj.text.length : 0;
}

const tooLong = (max: number, at: string) =>
  `[ERROR] must be less than ${max + 1} characters [json-pointer:${at}]`;

/** A text object at `at` (optional unless `required`): present, a text object, at most `max` characters. */
function textObjectProblems(obj: unknown, at: string, max: number, required = false): string[] {
  if (obj === undefined) return required ? [`[ERROR] missing required field [json-pointer:${at}]`] : [];
  if (!isObj(obj) || typeof obj.text !== 'string')
    return [`[ERROR] must be a text object [json-pointer:${at}]`];
  return obj.text.length > max ? [tooLong(max, `${at}/text`)] : [];
}

/** A button's confirmation dialog: title, text, confirm and deny, each within Slack's limit. */
function confirmProblems(confirm: unknown, at: string): string[] {
  if (!isObj(confirm)) return [`[ERROR] must be a confirmation dialog object [json-pointer:${at}]`];
  const out = [
    ...textObjectProblems(confirm.title, `${at}/title`, LIMITS.confirmTitle, true),
    ...textObjectProblems(confirm.text, `${at}/text`, LIMITS.confirmText, true),
    ...textObjectProblems(confirm.confirm, `${at}/confirm`, LIMITS.confirmButton, true),
    ...textObjectProblems(confirm.deny, `${at}/deny`, LIMITS.confirmButton, true),
  ];
  if (confirm.style !== undefined && confirm.style !== 'primary' && confirm.style !== 'danger')
    out.push(`[ERROR] must be one of primary, danger [json-pointer:${at}/style]`);
  return out;
}

/** A plain_text_input's lengths: `max_length` 1–3,000, `min_length` ≤ it, `initial_value` within it. */
function textInputProblems(el: Obj, at: string): string[] {
  const out: string[] = [];
  const max = el.max_length;
  const min = el.min_length;
  if (max !== undefined && (typeof max !== 'number' || max < 1 || max > LIMITS.inputMaxLength))
    out.push(`[ERROR] must be between 1 and ${LIMITS.inputMaxLength} [json-pointer:${at}/max_length]`);
  if (min !== undefined && (typeof min !== 'number' || min < 0 || min > LIMITS.inputMaxLength))
    out.push(`[ERROR] must be between 0 and ${LIMITS.inputMaxLength} [json-pointer:${at}/min_length]`);
  if (typeof max === 'number' && typeof min === 'number' && min > max)
    out.push(`[ERROR] min_length must not exceed max_length [json-pointer:${at}/min_length]`);
  const limit = typeof max === 'number' ? Math.min(max, LIMITS.inputMaxLength) : LIMITS.inputMaxLength;
  if (typeof el.initial_value === 'string' && el.initial_value.length > limit)
    out.push(tooLong(limit, `${at}/initial_value`));
  return out;
}

/** The length of every `text` string in `value` (blocks, elements, text objects), summed. */
export function blocksTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + blocksTextLength(v), 0);
  if (!isObj(value)) return 0;
  let n = 0;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'text' && typeof v === 'string') n += v.length;
    else if (typeof v === 'object') n += blocksTextLength(v);
  }
  return n;
}

/** Problems in one interactive element, as `[ERROR] …` strings. */
function elementProblems(el: unknown, at: string): string[] {
  if (!isObj(el) || typeof el.type !== 'string')
    return [`[ERROR] element must be an object with a type [json-pointer:${at}]`];
  const out: string[] = [];
  if (typeof el.action_id === 'string' && el.action_id.length > LIMITS.actionId) {
    out.push(tooLong(LIMITS.actionId, `${at}/action_id`));
  }
  out.push(...textObjectProblems(el.placeholder, `${at}/placeholder`, LIMITS.placeholder));
  if (el.confirm !== undefined) out.push(...confirmProblems(el.confirm, `${at}/confirm`));
  if (el.type === 'plain_text_input') out.push(...textInputProblems(el, at));
  if (el.type === 'button') {
    if (!isObj(el.text)) out.push(`[ERROR] missing required field: text [json-pointer:${at}]`);
    else if (textLength(el.text) > LIMITS.buttonText) out.push(tooLong(LIMITS.buttonText, `${at}/text/text`));
    if (typeof el.value === 'string' && el.value.length > LIMITS.buttonValue) {
      out.push(tooLong(LIMITS.buttonValue, `${at}/value`));
    }
    if (typeof el.url === 'string' && el.url.length > LIMITS.buttonUrl) {
      out.push(tooLong(LIMITS.buttonUrl, `${at}/url`));
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
  if (typeof block.block_id === 'string' && block.block_id.length > LIMITS.blockId) {
    out.push(tooLong(LIMITS.blockId, `${at}/block_id`));
  }
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) {
        out.push(`[ERROR] must provide either text or fields [json-pointer:${at}]`);
      }
      if (textLength(block.text) > LIMITS.sectionText)
        out.push(tooLong(LIMITS.sectionText, `${at}/text/text`));
      if (Array.isArray(block.fields)) {
        if (block.fields.length > LIMITS.sectionFields)
          out.push(`[ERROR] must provide at most ${LIMITS.sectionFields} items [json-pointer:${at}/fields]`);
        block.fields.forEach((f, i) => {
          if (textLength(f) > LIMITS.fieldText) out.push(tooLong(LIMITS.fieldText, `${at}/fields/${i}/text`));
        });
      }
      if (block.accessory !== undefined) out.push(...elementProblems(block.accessory, `${at}/accessory`));
      break;
    }
    case 'header':
      if (!isObj(block.text)) out.push(`[ERROR] missing required field: text [json-pointer:${at}]`);
      else if (block.text.type !== 'plain_text')
        out.push(`[ERROR] must be plain_text [json-pointer:${at}/text/type]`);
      else if (textLength(block.text) > LIMITS.headerText)
        out.push(tooLong(LIMITS.headerText, `${at}/text/text`));
      break;
    case 'actions': {
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        out.push(`[ERROR] must provide at least 1 item [json-pointer:${at}/elements]`);
        break;
      }
      if (block.elements.length > LIMITS.actionsElements)
        out.push(
          `[ERROR] must provide at most ${LIMITS.actionsElements} items [json-pointer:${at}/elements]`,
        );
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
      } else if (block.elements.length > LIMITS.contextElements) {
        out.push(
          `[ERROR] must provide at most ${LIMITS.contextElements} items [json-pointer:${at}/elements]`,
        );
      } else {
        block.elements.forEach((el, i) => {
          if (isObj(el) && el.type !== 'image')
            out.push(...textObjectProblems(el, `${at}/elements/${i}`, LIMITS.contextText, true));
        });
      }
      break;
    case 'input':
      if (!isObj(block.label)) out.push(`[ERROR] missing required field: label [json-pointer:${at}]`);
      else out.push(...textObjectProblems(block.label, `${at}/label`, LIMITS.inputLabel));
      out.push(...textObjectProblems(block.hint, `${at}/hint`, LIMITS.inputHint));
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

/** A message's blocks: each valid, and their texts together within Slack's total (`msg_blocks_too_long`). */
export function checkMessageBlocks(blocks: unknown): Checked<Block[] | undefined> {
  const checked = checkBlocks(blocks, MAX_MESSAGE_BLOCKS);
  if (!checked.ok) return checked;
  const total = blocksTextLength(checked.value);
  if (total > LIMITS.blocksText)
    return bad(
      'msg_blocks_too_long',
      `[ERROR] the blocks' texts are ${total} characters together, more than ${LIMITS.blocksText} [json-pointer:/blocks]`,
    );
  return checked;
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
    const blocks = checkMessageBlocks(args.blocks);
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
    } else if (view.title.text.length > LIMITS.viewTitle) {
      problems.push(tooLong(LIMITS.viewTitle, '/view/title/text'));
    }
    for (const key of ['submit', 'close'] as const) {
      if (view[key] !== undefined && textLength(view[key]) > LIMITS.viewButton) {
        problems.push(tooLong(LIMITS.viewButton, `/view/${key}/text`));
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
  if (typeof view.callback_id === 'string' && view.callback_id.length > LIMITS.callbackId) {
    problems.push(tooLong(LIMITS.callbackId, '/view/callback_id'));
  }
  if (typeof view.external_id === 'string' && view.external_id.length > LIMITS.externalId) {
    problems.push(tooLong(LIMITS.externalId, '/view/external_id'));
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > LIMITS.privateMetadata) {
    problems.push(tooLong(LIMITS.privateMetadata, '/view/private_metadata'));
  }
  if (problems.length) return { ok: false, error: 'invalid_arguments', messages: problems };
  const size = JSON.stringify(view).length;
  if (size > LIMITS.viewJson)
    return bad(
      'view_too_large',
      `[ERROR] the view is ${size} characters of JSON, more than ${LIMITS.viewJson}`,
    );
  const blocks = (view.blocks as Block[]).map((b) => {
    const copy: Block = { ...b, block_id: typeof b.block_id === 'string' ? b.block_id : newId() };
    if (b.type === 'input' && isObj(b.element) && typeof b.element.action_id !== 'string') {
      copy.element = { ...b.element, action_id: newId() };
    }
    return copy;
  });
  return { ok: true, value: { ...view, blocks } };
}

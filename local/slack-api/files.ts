import { randomBytes } from 'node:crypto';
import { type Answer, type Args, fail, type Method, newMessage, openDm, resolveThread, str } from './methods';
import { type ChannelInfo, type FakeState, nextId, type PendingUpload } from './state';
import type { StoredFile } from './store';
import { checkBlocks, MAX_MESSAGE_BLOCKS, MAX_TEXT } from './validate';

/**
 * Slack's external file upload, as `files.uploadV2` (@slack/web-api) drives it:
 * 1. `files.getUploadURLExternal` {filename, length} → {upload_url, file_id};
 * 2. POST of the bytes to upload_url (raw or multipart; see upload.ts);
 * 3. `files.completeUploadExternal` {files:[{id,title}], channel_id | channels, initial_comment | blocks,
 *    thread_ts} → the file is shared: a message with the file in each channel, and `store.files`.
 */

/** The biggest file the fake keeps (in memory). Real Slack allows up to 1 GB. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const MAX_ALT_TEXT = 1000;

const TYPES: Record<string, { mimetype: string; filetype: string; pretty: string }> = {
  csv: { mimetype: 'text/csv', filetype: 'csv', pretty: 'CSV' },
  txt: { mimetype: 'text/plain', filetype: 'text', pretty: 'Plain Text' },
  json: { mimetype: 'application/json', filetype: 'json', pretty: 'JSON' },
  pdf: { mimetype: 'application/pdf', filetype: 'pdf', pretty: 'PDF' },
  png: { mimetype: 'image/png', filetype: 'png', pretty: 'PNG' },
};
const typeOf = (filename: string) =>
  TYPES[/\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? ''] ?? {
    mimetype: 'application/octet-stream',
    filetype: 'binary',
    pretty: 'Binary',
  };

/** `length` as Slack reads it: a whole number of bytes (a number, or digits in a form field). */
function byteLength(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && /^[0-9]{1,15}$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

const getUploadURLExternal: Method = (state, args, ctx) => {
  // Slack reads this method's arguments from a form only: a JSON body looks like no arguments at all.
  const a: Args = ctx.json ? {} : args;
  const filename = str(a.filename);
  const problems: string[] = [];
  if (!filename) problems.push('[ERROR] missing required field: filename');
  const length = byteLength(a.length);
  if (a.length === undefined || a.length === '') problems.push('[ERROR] missing required field: length');
  else if (length === undefined) problems.push('[ERROR] length must be a whole number of bytes');
  if (problems.length || !filename || length === undefined) return fail('invalid_arguments', problems);
  if (length === 0)
    return fail('missing_argument', ['[ERROR] length is 0: an empty file cannot be uploaded']);
  if (length > MAX_UPLOAD_BYTES) return fail('file_upload_size_restricted');
  const altText = str(a.alt_txt) ?? str(a.alt_text);
  if (altText && altText.length > MAX_ALT_TEXT) return fail('alt_txt_too_large');
  const snippetType = str(a.snippet_type);

  const upload: PendingUpload = {
    id: nextId(state, 'F'),
    token: randomBytes(16).toString('hex'),
    filename,
    length,
    createdAt: state.store.clock(),
  };
  if (altText) upload.altText = altText;
  if (snippetType) upload.snippetType = snippetType;
  state.uploads.set(upload.id, upload);
  state.uploadTokens.set(upload.token, upload.id);
  return {
    ok: true,
    upload_url: `${ctx.baseUrl}${state.opts.pathPrefix}/upload/${upload.token}`,
    file_id: upload.id,
  };
};

/** `files` as sent: a JSON string (form-encoded) or an array of `{id, title?}`. */
function fileList(raw: unknown): { id: string; title?: string }[] | undefined {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const out: { id: string; title?: string }[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null || typeof item.id !== 'string' || !item.id)
      return undefined;
    if (item.title !== undefined && typeof item.title !== 'string') return undefined;
    out.push(item.title ? { id: item.id, title: item.title } : { id: item.id });
  }
  return out;
}

/** Where to share: `channel_id` (an id), or `channels` (comma-separated channel or user ids). */
function destinations(state: FakeState, args: Args): ChannelInfo[] | Answer {
  const channelId = str(args.channel_id);
  const channels = str(args.channels);
  if (channelId && channels)
    return fail('invalid_arguments', ['[ERROR] give channel_id or channels, not both']);
  const ids = channelId ? [channelId] : (channels ?? '').split(',').map((c) => c.trim());
  const out: ChannelInfo[] = [];
  for (const id of ids.filter(Boolean)) {
    const ch = state.channels.get(id) ?? (channels && state.users.has(id) ? openDm(state, id) : undefined);
    if (!ch) return fail('channel_not_found');
    if (!ch.botIsMember) return fail('not_in_channel');
    if (!out.includes(ch)) out.push(ch);
  }
  return out;
}

function fileJson(state: FakeState, f: StoredFile): Record<string, unknown> {
  const base = state.publicBaseUrl ?? 'http://127.0.0.1';
  const kind = typeOf(f.name);
  const chans = f.channels.map((id) => state.channels.get(id));
  return {
    id: f.id,
    created: Math.floor(f.createdAt / 1000),
    timestamp: Math.floor(f.createdAt / 1000),
    name: f.name,
    title: f.title,
    mimetype: f.mimetype,
    filetype: f.filetype,
    pretty_type: kind.pretty,
    user: f.user,
    user_team: state.opts.teamId,
    editable: false,
    size: f.size,
    mode: 'hosted',
    is_external: false,
    is_public: chans.some((c) => c && !c.isIm && c.id.startsWith('C')),
    display_as_bot: false,
    permalink: `${base}/files/${f.user}/${f.id}/${encodeURIComponent(f.name)}`,
    channels: f.channels.filter((id) => id.startsWith('C')),
    groups: f.channels.filter((id) => id.startsWith('G')),
    ims: f.channels.filter((id) => state.channels.get(id)?.isIm),
    ...(f.altText ? { alt_txt: f.altText } : {}),
  };
}

const completeUploadExternal: Method = (state, args) => {
  const list = fileList(args.files);
  if (!list) {
    return fail('invalid_arguments', [
      args.files === undefined
        ? '[ERROR] missing required field: files'
        : '[ERROR] files must be a non-empty array of {"id": "F…", "title": "…"}',
    ]);
  }
  const uploads: { upload: PendingUpload & { bytes: Buffer }; title: string }[] = [];
  for (const item of list) {
    const upload = state.uploads.get(item.id);
    if (!upload) return fail('file_not_found', [`[ERROR] no file ${item.id} (files.getUploadURLExternal)`]);
    if (upload.completedAt !== undefined)
      return fail('file_not_found', [`[ERROR] file ${item.id} was already completed`]);
    if (!upload.bytes)
      return fail('file_not_found', [`[ERROR] nothing was uploaded to the upload_url of ${item.id}`]);
    if (uploads.some((u) => u.upload.id === upload.id)) continue;
    uploads.push({
      upload: upload as PendingUpload & { bytes: Buffer },
      title: item.title ?? upload.filename,
    });
  }
  const where = destinations(state, args);
  if ('ok' in where) return where;
  const threadArg = str(args.thread_ts);
  if (threadArg && where.length !== 1) {
    return fail('invalid_arguments', ['[ERROR] thread_ts needs exactly one channel (channel_id)']);
  }
  const comment = typeof args.initial_comment === 'string' ? args.initial_comment : undefined;
  if (comment && comment.length > MAX_TEXT) return fail('msg_too_long');
  // As in Slack: with an initial_comment, blocks are ignored.
  const blocks = comment
    ? { ok: true as const, value: undefined }
    : checkBlocks(args.blocks, MAX_MESSAGE_BLOCKS);
  if (!blocks.ok) return fail(blocks.error, blocks.messages);

  const now = state.store.clock();
  const refs = uploads.map(({ upload, title }) => ({ id: upload.id, name: upload.filename, title }));
  const posted = where.map((ch) => {
    const thread = resolveThread(state, ch.id, threadArg);
    const m = newMessage(state, {
      channel: ch.id,
      threadTs: thread.ts,
      text: comment ?? '',
      blocks: blocks.value,
      files: refs,
    });
    state.store.addMessage(m);
    return { ch, ts: m.ts, threadTs: thread.ts };
  });
  const first = posted[0];
  const files = uploads.map(({ upload, title }) => {
    upload.completedAt = now;
    state.uploadTokens.delete(upload.token);
    const kind = typeOf(upload.filename);
    const file: StoredFile = {
      id: upload.id,
      name: upload.filename,
      title,
      bytes: upload.bytes,
      content: upload.bytes.toString('utf8'),
      size: upload.bytes.length,
      mimetype: kind.mimetype,
      filetype: kind.filetype,
      user: state.opts.botUserId,
      channels: where.map((ch) => ch.id),
      createdAt: upload.createdAt,
      completedAt: now,
    };
    if (first) {
      file.channel = first.ch.id;
      file.messageTs = first.ts;
      if (first.ch.isIm && first.ch.user) file.dmUser = first.ch.user;
      if (first.threadTs) file.threadTs = first.threadTs;
    }
    if (comment) file.initialComment = comment;
    if (upload.altText) file.altText = upload.altText;
    if (upload.snippetType) file.snippetType = upload.snippetType;
    state.store.addFile(file);
    return fileJson(state, file);
  });
  return { ok: true, files };
};

export const fileMethods: Record<string, Method> = {
  'files.getUploadURLExternal': getUploadURLExternal,
  'files.completeUploadExternal': completeUploadExternal,
};

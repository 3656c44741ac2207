import { EventEmitter } from 'node:events';
import { renderMessage } from './render';

/** A Block Kit block as the fake keeps it (validated to be an object with a string `type`). */
export type Block = { type: string; [key: string]: unknown };

export interface MessageVersion {
  text?: string;
  blocks?: Block[];
  at: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  /** Set on thread replies: the parent's ts. */
  threadTs?: string;
  /** A thread reply also shown in the channel (`reply_broadcast`). */
  replyBroadcast?: boolean;
  text?: string;
  blocks?: Block[];
  attachments?: unknown[];
  /** Files shared with this message (files.completeUploadExternal). */
  files?: FileRef[];
  /** Always the bot user id: the fake only holds what the app posted. */
  user: string;
  botId: string;
  /** Set on ephemeral messages: the only user who sees it. */
  ephemeralTo?: string;
  /** The id of the response_url it was posted through, if any. */
  viaResponseUrl?: string;
  edits: number;
  /** Previous versions, oldest first (one entry per edit). */
  history: MessageVersion[];
  deleted?: boolean;
  postedAt: number;
  /** postedAt, or the time of the last edit / deletion. */
  updatedAt: number;
}

/** A file as a message refers to it. */
export interface FileRef {
  id: string;
  name: string;
  title: string;
}

/** A file uploaded with files.getUploadURLExternal + upload_url + files.completeUploadExternal. */
export interface StoredFile extends FileRef {
  /** The bytes as uploaded, and the same decoded as UTF-8. */
  bytes: Buffer;
  content: string;
  size: number;
  mimetype: string;
  filetype: string;
  /** The uploader (the bot user), as in Slack's file object. */
  user: string;
  /** The channels it was shared in (none: private to the uploader), first one also as `channel`. */
  channels: string[];
  channel?: string;
  /** When `channel` is a DM: the person on the other side. */
  dmUser?: string;
  /** The message that shared it in `channel`, and its thread when posted as a reply. */
  messageTs?: string;
  threadTs?: string;
  initialComment?: string;
  altText?: string;
  snippetType?: string;
  /** files.getUploadURLExternal time, and files.completeUploadExternal time. */
  createdAt: number;
  completedAt: number;
}

export interface StoredView {
  id: string;
  type: 'modal' | 'home';
  /** The view as Slack would return it (id, hash, state, block_ids filled in). */
  view: Record<string, unknown>;
  /** The user it was opened for (known when the trigger_id was issued by this fake) or published to. */
  user?: string;
  triggerId?: string;
  hash: string;
  externalId?: string;
  openedAt: number;
  updatedAt: number;
  updates: number;
  /** Set on modals opened with views.push. */
  previousViewId?: string;
  /** Set when the modal was closed (its close button, Esc, a submission that closed it, `clear`). */
  closedAt?: number;
}

export interface StoredCall {
  /** Web API method, or 'response_url' for posts to a response_url. */
  method: string;
  /** Arguments as sent (JSON strings such as `blocks` parsed), never the token. */
  args: Record<string, unknown>;
  at: number;
  ok: boolean;
  error?: string;
  /** HTTP status the fake answered with. */
  status: number;
}

export type StoreChange =
  | { kind: 'message' | 'update' | 'delete'; message: StoredMessage }
  | { kind: 'view' | 'home'; view: StoredView }
  | { kind: 'call'; call: StoredCall }
  | { kind: 'file'; file: StoredFile }
  | { kind: 'reset' };

export type StorePick<T> = (store: SlackStore) => T | undefined | null | false;

export interface ChannelMessagesOptions {
  /** Include ephemeral messages (to anyone). Default false. */
  ephemeral?: boolean;
  /** Include thread replies that were not broadcast. Default false (like conversations.history). */
  replies?: boolean;
}

/** What the fake Slack holds: messages, views and the record of every call. */
export class SlackStore {
  readonly messages: StoredMessage[] = [];
  readonly views: StoredView[] = [];
  readonly homeViews = new Map<string, StoredView>();
  readonly calls: StoredCall[] = [];
  /** Completed file uploads, in order. */
  readonly files: StoredFile[] = [];
  private readonly emitter = new EventEmitter();
  private lastMicros = 0;

  constructor(readonly clock: () => number = Date.now) {
    this.emitter.setMaxListeners(0);
  }

  /** A new message ts ('1732530000.000100'), strictly increasing even if the clock stands still. */
  nextTs(): string {
    let micros = Math.floor(this.clock() * 1000);
    if (micros <= this.lastMicros) micros = this.lastMicros + 1;
    this.lastMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** Messages visible in the channel, in order: no deleted ones, by default no ephemerals and no thread replies. */
  channelMessages(channel: string, opts: ChannelMessagesOptions = {}): StoredMessage[] {
    return this.messages.filter(
      (m) =>
        m.channel === channel &&
        !m.deleted &&
        (opts.ephemeral || m.ephemeralTo === undefined) &&
        (opts.replies || m.threadTs === undefined || m.replyBroadcast === true),
    );
  }

  /** The replies in the thread of message `ts` of `channel`, in order (not the parent, no ephemerals). */
  thread(channel: string, ts: string): StoredMessage[] {
    return this.messages.filter(
      (m) =>
        m.channel === channel &&
        m.threadTs === ts &&
        m.ts !== ts &&
        !m.deleted &&
        m.ephemeralTo === undefined,
    );
  }

  /** Ephemeral messages shown to `user` (optionally in one channel), in order. */
  ephemeralFor(user: string, channel?: string): StoredMessage[] {
    return this.messages.filter(
      (m) => m.ephemeralTo === user && !m.deleted && (channel === undefined || m.channel === channel),
    );
  }

  /** A message by channel and ts (deleted ones included). */
  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Files shared in a channel (a DM's id for files sent to one person), in order. */
  filesIn(channel: string): StoredFile[] {
    return this.files.filter((f) => f.channels.includes(channel));
  }

  /** Calls of one Web API method (or 'response_url'), in order. */
  callsOf(method: string): StoredCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Resolves with the first value `pick` returns that is not undefined/null/false, evaluating it now and
   * after every change of the store. Rejects after `timeoutMs` with the last messages and calls listed.
   */
  waitFor<T>(pick: StorePick<T>, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        this.emitter.off('change', check);
        if (timer) clearTimeout(timer);
      };
      const check = (): boolean => {
        let value: T | undefined | null | false;
        try {
          value = pick(this);
        } catch (err) {
          done();
          reject(err);
          return true;
        }
        if (value === undefined || value === null || value === false) return false;
        done();
        resolve(value);
        return true;
      };
      if (check()) return;
      this.emitter.on('change', check);
      timer = setTimeout(() => {
        done();
        reject(new Error(this.describeTimeout(pick, timeoutMs)));
      }, timeoutMs);
    });
  }

  /** Subscribe to every change (message posted/edited/deleted, view, call, reset). Returns an unsubscribe function. */
  on(event: 'change', fn: (change: StoreChange) => void): () => void {
    this.emitter.on(event, fn);
    return () => this.emitter.off(event, fn);
  }

  off(event: 'change', fn: (change: StoreChange) => void): void {
    this.emitter.off(event, fn);
  }

  /** Forget every message, view, call and file. */
  reset(): void {
    this.messages.length = 0;
    this.views.length = 0;
    this.homeViews.clear();
    this.calls.length = 0;
    this.files.length = 0;
    this.emit({ kind: 'reset' });
  }

  // ---- writes (used by the fake's methods) ----

  addMessage(message: StoredMessage): StoredMessage {
    this.messages.push(message);
    this.emit({ kind: 'message', message });
    return message;
  }

  editMessage(
    message: StoredMessage,
    next: { text?: string; blocks?: Block[]; attachments?: unknown[] },
  ): void {
    const at = this.clock();
    const previous: MessageVersion = { at: message.updatedAt };
    if (message.text !== undefined) previous.text = message.text;
    if (message.blocks !== undefined) previous.blocks = message.blocks;
    message.history.push(previous);
    message.edits += 1;
    message.updatedAt = at;
    if ('text' in next) message.text = next.text;
    if ('blocks' in next) message.blocks = next.blocks;
    if ('attachments' in next) message.attachments = next.attachments;
    this.emit({ kind: 'update', message });
  }

  deleteMessage(message: StoredMessage): void {
    message.deleted = true;
    message.updatedAt = this.clock();
    this.emit({ kind: 'delete', message });
  }

  addView(view: StoredView): void {
    this.views.push(view);
    this.emit({ kind: 'view', view });
  }

  touchView(view: StoredView): void {
    this.emit({ kind: 'view', view });
  }

  publishHome(user: string, view: StoredView): void {
    this.homeViews.set(user, view);
    this.emit({ kind: 'home', view });
  }

  addFile(file: StoredFile): void {
    this.files.push(file);
    this.emit({ kind: 'file', file });
  }

  addCall(call: StoredCall): void {
    this.calls.push(call);
    this.emit({ kind: 'call', call });
  }

  private emit(change: StoreChange): void {
    this.emitter.emit('change', change);
  }

  private describeTimeout(pick: StorePick<unknown>, timeoutMs: number): string {
    const source = String(pick).replace(/\s+/g, ' ');
    const lines = [
      `waitFor timed out after ${timeoutMs} ms waiting for: ${source.length > 200 ? `${source.slice(0, 200)}…` : source}`,
    ];
    const last = this.messages.slice(-10);
    lines.push(last.length ? `last ${last.length} of ${this.messages.length} messages:` : 'no messages yet');
    for (const m of last) lines.push(`  ${describeMessage(m)}`);
    const calls = this.calls.slice(-5);
    if (calls.length) {
      lines.push(`last ${calls.length} of ${this.calls.length} calls:`);
      for (const c of calls)
        lines.push(`  ${c.method} → ${c.ok ? 'ok' : `${c.error ?? 'error'} (HTTP ${c.status})`}`);
    }
    return lines.join('\n');
  }
}

/** One line describing a message, for error messages. */
export function describeMessage(m: StoredMessage): string {
  const where = `${m.channel} ${m.ts}${m.threadTs && m.threadTs !== m.ts ? ` (thread ${m.threadTs})` : ''}`;
  const flags = [
    m.ephemeralTo ? `ephemeral to ${m.ephemeralTo}` : '',
    m.edits ? `edited ×${m.edits}` : '',
    m.deleted ? 'deleted' : '',
  ].filter(Boolean);
  const text = renderMessage(m).replace(/\s*\n\s*/g, ' ⏎ ');
  return `${where}${flags.length ? ` [${flags.join(', ')}]` : ''}: ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`;
}

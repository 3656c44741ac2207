import { randomBytes } from 'node:crypto';
import { bool, isObj } from './methods';
import {
  type FakeState,
  RESPONSE_URL_MAX_USES,
  RESPONSE_URL_TTL_MS,
  type ResponseUrlState,
  takeFault,
} from './state';
import type { StoredMessage } from './store';
import { checkContent } from './validate';

export interface ResponseUrlContext {
  channel: string;
  user: string;
  /** For block_actions: the message the button was on (what `replace_original` edits until this URL posted). */
  messageTs?: string;
}

export interface PlainAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** Registers a new response_url and returns its id (the last path segment). */
export function createResponseUrl(state: FakeState, ctx: ResponseUrlContext): string {
  const id = `${state.opts.teamId}-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
  const rec: ResponseUrlState = {
    id,
    channel: ctx.channel,
    user: ctx.user,
    createdAt: state.store.clock(),
    uses: 0,
  };
  if (ctx.messageTs) rec.messageTs = ctx.messageTs;
  state.responseUrls.set(id, rec);
  return id;
}

const expired = (reason: string): PlainAnswer => ({
  status: 404,
  body: 'expired_url',
  headers: { 'x-fake-slack-reason': reason },
});

/** The message `replace_original` / `delete_original` act on: the last one posted through this URL, else the source. */
function original(state: FakeState, rec: ResponseUrlState): StoredMessage | undefined {
  const ts = rec.lastTs ?? rec.messageTs;
  const m = ts ? state.store.message(rec.channel, ts) : undefined;
  return m && !m.deleted ? m : undefined;
}

/**
 * `POST /response/<id>` with a JSON body, as Bolt's `respond()` sends it. 5 uses within 30 minutes, then
 * HTTP 404 `expired_url` (header `x-fake-slack-reason: used_url | expired_url | unknown_url`).
 */
export function postToResponseUrl(state: FakeState, id: string, payload: unknown): PlainAnswer {
  const at = state.store.clock();
  const record = (status: number, error?: string): void => {
    const args = isObj(payload)
      ? { response_url_id: id, ...payload }
      : { response_url_id: id, body: payload };
    state.store.addCall({
      method: 'response_url',
      args,
      at,
      ok: status === 200,
      status,
      ...(error ? { error } : {}),
    });
  };
  const answer = (a: PlainAnswer, error?: string): PlainAnswer => {
    record(a.status, error ?? (a.status === 200 ? undefined : a.body));
    return a;
  };

  const fault = takeFault(state, 'response_url');
  if (fault) {
    if ('status' in fault) {
      return answer(
        { status: 429, body: 'rate_limited', headers: { 'retry-after': String(fault.retryAfter) } },
        'rate_limited',
      );
    }
    return answer({ status: 404, body: fault.error });
  }

  const rec = state.responseUrls.get(id);
  if (!rec) return answer(expired('unknown_url'), 'unknown_url');
  if (at - rec.createdAt > RESPONSE_URL_TTL_MS) return answer(expired('expired_url'), 'expired_url');
  if (rec.uses >= RESPONSE_URL_MAX_USES) return answer(expired('used_url'), 'used_url');
  if (!isObj(payload)) return answer({ status: 400, body: 'invalid_payload' });
  rec.uses += 1;

  if (bool(payload.delete_original)) {
    const target = original(state, rec);
    if (target) state.store.deleteMessage(target);
    return answer({ status: 200, body: 'ok' });
  }

  const content = checkContent(payload, true);
  if (!content.ok) return answer({ status: 400, body: content.error });

  if (bool(payload.replace_original)) {
    const target = original(state, rec);
    if (target) {
      state.store.editMessage(target, {
        text: content.value.text,
        blocks: content.value.blocks,
        attachments: content.value.attachments,
      });
      rec.lastTs = target.ts;
      return answer({ status: 200, body: 'ok' });
    }
  }

  const now = state.store.clock();
  const inChannel = payload.response_type === 'in_channel';
  const threadTs = typeof payload.thread_ts === 'string' && payload.thread_ts ? payload.thread_ts : undefined;
  const m: StoredMessage = {
    channel: rec.channel,
    ts: state.store.nextTs(),
    user: state.opts.botUserId,
    botId: state.opts.botId,
    viaResponseUrl: id,
    edits: 0,
    history: [],
    postedAt: now,
    updatedAt: now,
    ...content.value,
  };
  if (threadTs) m.threadTs = threadTs;
  if (!inChannel) m.ephemeralTo = rec.user;
  state.store.addMessage(m);
  rec.lastTs = m.ts;
  return answer({ status: 200, body: 'ok' });
}

/**
 * What Slack does with the app's HTTP answers (acks) that it shows to the person: a slash command's ack
 * body becomes a message (ephemeral unless `response_type: 'in_channel'`), and a view_submission's
 * `response_action` updates, pushes or clears modals, or shows per-block errors. The local console
 * drives the app with signed requests and hands the answers here, so the page shows them as Slack would.
 */
import { isObj, newHash, newMessage, viewJson } from './methods';
import { type FakeState, nextId } from './state';
import type { StoredMessage, StoredView } from './store';
import { noteAck, operationTimeout } from './triggers';
import { checkContent, checkView } from './validate';

/** Slack's own user, the author of Slack's notices ("/qc failed with the error …"). */
export const SLACKBOT = 'USLACKBOT';

export interface CommandAckInput {
  channel: string;
  user: string;
  /** '/qc', '/intercept'. */
  command: string;
  /** HTTP status of the app's answer. */
  status: number;
  /** Its raw body (JSON, plain text or empty). */
  body: string;
  /** The command's trigger_id: with deadlines on, an ack after 3 s becomes Slack's operation_timeout. */
  triggerId?: string;
  /** The command's response_url: the ack shown is the message its replace_original / delete_original act on. */
  responseUrl?: string;
}

function slackbotNotice(state: FakeState, channel: string, user: string, text: string): StoredMessage {
  const m = newMessage(state, { channel, ephemeralTo: user, text });
  m.user = SLACKBOT;
  m.botId = '';
  return state.store.addMessage(m);
}

/**
 * The notice Slack shows instead of a slash command's ack ("/qc failed with the error …"), or undefined
 * when Slack shows the ack: a non-200 answer, or a JSON body Slack would refuse (too many blocks, a text
 * past its limit, …). Shared by the console and `npm run slack`, so both judge acks as Slack does.
 */
export function commandAckFailure(command: string, status: number, body: string): string | undefined {
  if (status !== 200)
    return `${command} failed with the error "dispatch_failed" (the app answered HTTP ${status})`;
  const json = parseObject(body);
  if (!json) return undefined;
  const content = checkContent(json, false);
  if (content.ok) return undefined;
  return `${command} failed with the error "${content.error}" (${content.messages.join('; ')})`;
}

function parseObject(body: string): Record<string, unknown> | undefined {
  if (body.trim() === '') return undefined;
  try {
    const json: unknown = JSON.parse(body);
    return isObj(json) ? json : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records a slash command's ack as Slack shows it and returns the message (undefined for an empty ack,
 * which Slack shows as nothing). A non-200 answer, or a body Slack would refuse, becomes Slackbot's
 * "failed with the error" notice, only visible to the user; so does an ack after Slack's 3 s, when the
 * fake keeps deadlines (triggers.ts): "operation_timeout".
 */
export function recordCommandAck(state: FakeState, ack: CommandAckInput): StoredMessage | undefined {
  const late = ack.triggerId ? noteAck(state, ack.triggerId, ack.command) : undefined;
  if (late) return slackbotNotice(state, ack.channel, ack.user, operationTimeout(ack.command, late));
  const failure = commandAckFailure(ack.command, ack.status, ack.body);
  if (failure) return slackbotNotice(state, ack.channel, ack.user, failure);
  if (ack.body.trim() === '') return undefined;
  const json = parseObject(ack.body);
  if (!json) {
    return state.store.addMessage(
      newMessage(state, { channel: ack.channel, ephemeralTo: ack.user, text: ack.body }),
    );
  }
  const content = checkContent(json, false);
  if (!content.ok) return undefined; // commandAckFailure answered for this case above
  if (!content.value.text && !content.value.blocks?.length && !content.value.attachments?.length)
    return undefined;
  const inChannel = json.response_type === 'in_channel';
  const shown = state.store.addMessage(
    newMessage(state, {
      channel: ack.channel,
      ...(inChannel ? {} : { ephemeralTo: ack.user }),
      ...content.value,
    }),
  );
  const id = ack.responseUrl?.split('/').pop();
  const rec = id ? state.responseUrls.get(id) : undefined;
  if (rec && rec.messageTs === undefined) rec.messageTs = shown.ts;
  return shown;
}

/** Marks a modal closed (close button, Esc, a submission that closed it). Undefined for an unknown id. */
export function closeView(state: FakeState, viewId: string): StoredView | undefined {
  const view = state.store.views.find((v) => v.id === viewId && v.type === 'modal');
  if (!view) return undefined;
  if (view.closedAt === undefined) {
    view.closedAt = state.store.clock();
    view.updatedAt = view.closedAt;
    state.store.touchView(view);
  }
  return view;
}

export interface ViewAckInput {
  viewId: string;
  status: number;
  body: string;
}

export type ViewAckResult =
  /** Nothing changed; the modal shows these messages under the named input blocks. */
  | { action: 'errors'; errors: Record<string, string> }
  /** The modal now shows `view` (updated in place, or pushed on top). */
  | { action: 'update' | 'push'; view: StoredView }
  /** The submitted modal (or, for `clear`, every modal of the user) was closed. */
  | { action: 'close' | 'clear' }
  /** Slack could not use the answer; the modal stays open with this notice. */
  | { action: 'failed'; message: string };

const TROUBLE = 'We had some trouble connecting. Try again?';

/**
 * What the modal shows when Slack cannot use a view_submission's answer ("We had some trouble
 * connecting…"), or undefined when Slack can: a non-200 answer, a body that is not JSON, `errors`
 * without errors, an unknown `response_action`, or an `update`/`push` view Slack would refuse.
 */
export function viewAckFailure(status: number, body: string): string | undefined {
  if (status !== 200) return `${TROUBLE} (the app answered HTTP ${status})`;
  if (body.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return `${TROUBLE} (the answer was not JSON)`;
  }
  if (!isObj(json) || json.response_action === undefined) return undefined;
  switch (json.response_action) {
    case 'errors': {
      const errors = isObj(json.errors) ? Object.values(json.errors) : [];
      return errors.some((v) => typeof v === 'string')
        ? undefined
        : `${TROUBLE} (response_action errors without errors)`;
    }
    case 'update':
    case 'push': {
      const checked = checkView(json.view, 'modal', () => 'B');
      return checked.ok ? undefined : `${TROUBLE} (${checked.messages.join('; ')})`;
    }
    case 'clear':
      return undefined;
    default:
      return `${TROUBLE} (unknown response_action)`;
  }
}

/**
 * Applies a view_submission's answer to the fake's views as Slack does: empty → the modal closes;
 * `response_action` `errors` (an object of block_id → message), `update`, `push`, `clear`.
 */
export function applyViewAck(state: FakeState, ack: ViewAckInput): ViewAckResult {
  const stored = state.store.views.find((v) => v.id === ack.viewId && v.type === 'modal');
  if (!stored) return { action: 'failed', message: `no modal with id ${ack.viewId}` };
  const failure = viewAckFailure(ack.status, ack.body);
  if (failure) return { action: 'failed', message: failure };
  const json = parseObject(ack.body);
  if (!json || json.response_action === undefined) {
    closeView(state, stored.id);
    return { action: 'close' };
  }
  switch (json.response_action) {
    case 'errors': {
      const errors = isObj(json.errors) ? json.errors : {};
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(errors)) if (typeof v === 'string') out[k] = v;
      return { action: 'errors', errors: out };
    }
    case 'update': {
      const checked = checkView(json.view, 'modal', () => nextId(state, 'B'));
      if (!checked.ok) return { action: 'failed', message: `${TROUBLE} (${checked.messages.join('; ')})` };
      stored.hash = newHash(state);
      stored.updatedAt = state.store.clock();
      stored.updates += 1;
      stored.view = viewJson(state, stored.id, stored.hash, checked.value, {
        previous_view_id: stored.previousViewId ?? null,
      });
      state.store.touchView(stored);
      return { action: 'update', view: stored };
    }
    case 'push': {
      const checked = checkView(json.view, 'modal', () => nextId(state, 'B'));
      if (!checked.ok) return { action: 'failed', message: `${TROUBLE} (${checked.messages.join('; ')})` };
      const id = nextId(state, 'V');
      const hash = newHash(state);
      const now = state.store.clock();
      const pushed: StoredView = {
        id,
        type: 'modal',
        view: viewJson(state, id, hash, checked.value, { previous_view_id: stored.id }),
        hash,
        openedAt: now,
        updatedAt: now,
        updates: 0,
        previousViewId: stored.id,
      };
      if (stored.user) pushed.user = stored.user;
      state.store.addView(pushed);
      return { action: 'push', view: pushed };
    }
    case 'clear':
      for (const v of state.store.views)
        if (v.type === 'modal' && v.closedAt === undefined && v.user === stored.user) closeView(state, v.id);
      closeView(state, stored.id);
      return { action: 'clear' };
    default:
      return { action: 'failed', message: `${TROUBLE} (unknown response_action)` };
  }
}

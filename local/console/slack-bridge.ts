/**
 * The signing bridge: each page action becomes the request Slack would send for it, signed with the
 * stack's signing secret and POSTed to the stack's own /slack/events over HTTP (alerts: a signed POST
 * /alerts). What Slack shows of the app's answers (a command's ack, a modal's response_action) is
 * handed to the fake Slack, which keeps it like Slack would.
 */
import { randomBytes } from 'node:crypto';
import { signAlert } from '../../src/alerts/signature';
import type { StoredMessage, StoredView } from '../slack-api/index';
import {
  blockActionsPayload,
  interactionBody,
  signedHeaders,
  slashCommandBody,
  viewSubmissionPayload,
} from '../slack-sign';
import type { ConsoleContext, ConsoleUser } from './context';
import { BadInput, isObj, type Obj } from './input';
import { manifestCommands } from './state';

export interface HttpAnswer {
  status: number;
  body: string;
  /** The body as JSON when it is JSON, else undefined. */
  json: unknown;
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<HttpAnswer> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, body: text, json };
}

export interface SentRequest {
  body: string;
  headers: Record<string, string>;
  /** The Slack endpoint's answer (401 if it refused the signature). */
  status: number;
}

export class SlackBridge {
  constructor(private readonly ctx: ConsoleContext) {}

  /** What the bridge sent to /slack/events, newest last (the last 100): tests check a click arrived signed. */
  readonly sent: SentRequest[] = [];

  private async send(body: string, contentType?: string): Promise<HttpAnswer> {
    const headers = signedHeaders(this.ctx.signingSecret, body, contentType ? { contentType } : {});
    const answer = await post(`${this.ctx.url}/slack/events`, headers, body);
    this.sent.push({ body, headers, status: answer.status });
    if (this.sent.length > 100) this.sent.shift();
    return answer;
  }

  user(id: string): ConsoleUser {
    const u = this.ctx.users.find((x) => x.id === id);
    if (!u)
      throw new BadInput(
        `user: unknown user ${JSON.stringify(id)}; the console knows ${this.ctx.users.map((x) => x.id).join(', ')}`,
      );
    return u;
  }

  /** A channel the user can type in: the stack's channels and the user's DM with the app. */
  private channelFor(user: ConsoleUser, id: string): string {
    if (id === user.dm || this.ctx.channels.some((c) => c.id === id)) return id;
    throw new BadInput(
      `channel: unknown channel ${JSON.stringify(id)}; use ${[...this.ctx.channels.map((c) => c.id), user.dm].join(', ')}`,
    );
  }

  /** `/qc listen 2005` typed by `user` in `channel`: the signed slash command, its ack shown as Slack does. */
  async command(userId: string, channelId: string, line: string) {
    const user = this.user(userId);
    const channel = this.channelFor(user, channelId);
    const trimmed = line.trim();
    if (!trimmed.startsWith('/'))
      throw new BadInput(
        'text: the console sends slash commands only (start with "/", e.g. /qc help); qc-slack does not read channel messages',
      );
    const space = trimmed.search(/\s/);
    const command = space < 0 ? trimmed : trimmed.slice(0, space);
    const text = space < 0 ? '' : trimmed.slice(space + 1).trim();
    const known = manifestCommands().map((c) => c.command);
    if (!known.includes(command))
      throw new BadInput(`text: ${command} is not a valid command of this app (it has ${known.join(', ')})`);
    const triggerId = this.ctx.slack.newTriggerId({ user: user.id, channel });
    const responseUrl = this.ctx.slack.newResponseUrl({ channel, user: user.id });
    const body = slashCommandBody({
      command,
      text,
      userId: user.id,
      userName: user.name,
      teamId: this.ctx.teamId,
      channelId: channel,
      channelName: this.ctx.slack.channelName(channel),
      responseUrl,
      triggerId,
    });
    const answer = await this.send(body);
    const shown = this.ctx.slack.recordCommandAck({
      channel,
      user: user.id,
      command,
      status: answer.status,
      body: answer.body,
      triggerId,
      responseUrl,
    });
    return { status: answer.status, ack: answer.json ?? (answer.body || null), ts: shown?.ts ?? null };
  }

  /** A button click on a message (channel + messageTs) or in a view (viewId: the Home tab or a modal). */
  async action(input: {
    user: string;
    channel?: string;
    messageTs?: string;
    viewId?: string;
    actionId: string;
    value?: string;
  }) {
    const user = this.user(input.user);
    if (input.channel && input.messageTs) {
      const message = this.ctx.slack.store.message(input.channel, input.messageTs);
      if (!message || message.deleted)
        throw new BadInput(`messageTs: no message ${input.messageTs} in ${input.channel}`, 404);
      if (message.ephemeralTo !== undefined && message.ephemeralTo !== user.id)
        throw new BadInput(`messageTs: message ${input.messageTs} is only visible to ${message.ephemeralTo}`);
      // A screen can be stale (the message was edited since): Slack still delivers a click on a
      // button the message showed at some point, and the app refuses it if it no longer applies.
      const button = findButtonInVersions(
        [message.blocks, ...message.history.map((v) => v.blocks).reverse()],
        input.actionId,
        input.value,
      );
      const payload = blockActionsPayload({
        userId: user.id,
        userName: user.name,
        teamId: this.ctx.teamId,
        channelId: message.channel,
        channelName: this.ctx.slack.channelName(message.channel),
        messageTs: message.ts,
        isEphemeral: message.ephemeralTo !== undefined,
        responseUrl: this.ctx.slack.newResponseUrl({
          channel: message.channel,
          user: user.id,
          messageTs: message.ts,
        }),
        triggerId: this.ctx.slack.newTriggerId({ user: user.id, channel: message.channel }),
        actionId: button.action_id,
        blockId: button.blockId,
        text: button.label,
        ...(button.value !== undefined ? { value: button.value } : {}),
        message: messageJson(message, this.ctx.slack.botId),
      }) as Obj;
      const answer = await this.send(interactionBody(payload));
      return { status: answer.status, ack: answer.json ?? (answer.body || null) };
    }
    if (!input.viewId)
      throw new BadInput(
        'give channel and messageTs (a button on a message) or viewId (a Home tab or modal button)',
      );
    const view = this.viewOf(user.id, input.viewId);
    const button = findButton(view.view.blocks, input.actionId, input.value);
    const payload = blockActionsPayload({
      userId: user.id,
      userName: user.name,
      teamId: this.ctx.teamId,
      responseUrl: '',
      triggerId: this.ctx.slack.newTriggerId({ user: user.id }),
      actionId: button.action_id,
      blockId: button.blockId,
      text: button.label,
      ...(button.value !== undefined ? { value: button.value } : {}),
    }) as Obj;
    // A click in a view has no channel, message or response_url (as in Slack).
    delete payload.channel;
    delete payload.message;
    delete payload.response_url;
    payload.container = { type: 'view', view_id: view.id };
    payload.view = { ...view.view, id: view.id, type: view.type };
    const answer = await this.send(interactionBody(payload));
    return { status: answer.status, ack: answer.json ?? (answer.body || null) };
  }

  /** The user's Home view or one of their open modals. */
  private viewOf(userId: string, viewId: string): StoredView {
    const home = this.ctx.slack.store.homeViews.get(userId);
    if (home?.id === viewId) return home;
    return this.openModal(userId, viewId);
  }

  private openModal(userId: string, viewId: string): StoredView {
    const view = this.ctx.slack.store.views.find((v) => v.id === viewId && v.type === 'modal');
    if (!view) throw new BadInput(`viewId: no view ${JSON.stringify(viewId)} (for ${userId})`, 404);
    if (view.user !== userId) throw new BadInput(`viewId: view ${viewId} was not opened for ${userId}`);
    if (view.closedAt !== undefined) throw new BadInput(`viewId: view ${viewId} is closed`);
    return view;
  }

  /** A modal's submit button: view_submission with state.values; the answer applied to the modals. */
  async submitView(userId: string, viewId: string, values: unknown) {
    const user = this.user(userId);
    const view = this.openModal(user.id, viewId);
    const state = stateValues(view.view, values);
    const payload = viewSubmissionPayload({
      userId: user.id,
      userName: user.name,
      teamId: this.ctx.teamId,
      triggerId: this.ctx.slack.newTriggerId({ user: user.id }),
      view: { ...view.view, id: view.id, state: { values: state } },
    });
    const answer = await this.send(interactionBody(payload));
    const result = this.ctx.slack.applyViewAck({ viewId: view.id, status: answer.status, body: answer.body });
    return {
      status: answer.status,
      response_action: result.action,
      ...(result.action === 'errors' ? { errors: result.errors } : {}),
      ...(result.action === 'update' || result.action === 'push' ? { viewId: result.view.id } : {}),
      ...(result.action === 'failed' ? { message: result.message } : {}),
    };
  }

  /** The modal's close button or Esc. view_closed goes to the app only if the view asked (notify_on_close). */
  async closeView(userId: string, viewId: string) {
    const user = this.user(userId);
    const view = this.openModal(user.id, viewId);
    this.ctx.slack.closeView(view.id);
    if (view.view.notify_on_close !== true) return { status: 200, notified: false };
    const submission = viewSubmissionPayload({
      userId: user.id,
      userName: user.name,
      teamId: this.ctx.teamId,
      view: { ...view.view, id: view.id },
    }) as Obj;
    const payload: Obj = { ...submission, type: 'view_closed', is_cleared: false };
    delete payload.trigger_id;
    delete payload.response_urls;
    const answer = await this.send(interactionBody(payload));
    return { status: answer.status, notified: true };
  }

  /** The user opened the app's Home tab: the Events API's app_home_opened, signed, as JSON. */
  async homeOpened(userId: string) {
    const user = this.user(userId);
    const now = Date.now();
    const home = this.ctx.slack.store.homeViews.get(user.id);
    const body = JSON.stringify({
      token: 'unused',
      team_id: this.ctx.teamId,
      api_app_id: 'A_QCSLACK',
      event: {
        type: 'app_home_opened',
        user: user.id,
        channel: user.dm,
        tab: 'home',
        event_ts: (now / 1000).toFixed(6),
        ...(home ? { view: { id: home.id, type: 'home' } } : {}),
      },
      type: 'event_callback',
      event_id: `Ev${randomBytes(8).toString('hex').toUpperCase()}`,
      event_time: Math.floor(now / 1000),
      authorizations: [
        {
          team_id: this.ctx.teamId,
          user_id: this.ctx.slack.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    });
    const answer = await this.send(body, 'application/json');
    return { status: answer.status };
  }

  /** A monitoring system's alert: a real signed POST /alerts; its answer passed through. */
  async alert(alert: Obj) {
    const body = JSON.stringify(alert);
    const ts = Math.floor(Date.now() / 1000);
    const answer = await post(
      `${this.ctx.url}/alerts`,
      {
        'content-type': 'application/json',
        'x-qc-timestamp': String(ts),
        'x-qc-signature': signAlert(this.ctx.alertsSecret, ts, body),
      },
      body,
    );
    return { status: answer.status, body: answer.json ?? answer.body };
  }
}

interface FoundButton {
  action_id: string;
  value?: string;
  blockId: string;
  label: string;
}

/** The first version (newest first) of a message that had the button; the newest version's 400 otherwise. */
export function findButtonInVersions(versions: unknown[], actionId: string, value?: string): FoundButton {
  for (const blocks of versions) {
    try {
      return findButton(blocks, actionId, value);
    } catch (err) {
      if (!(err instanceof BadInput)) throw err;
    }
  }
  return findButton(versions[0], actionId, value); // throws the newest version's answer
}

/**
 * The button with that action_id (and value, when given) in `blocks`; a 400 naming what is there
 * otherwise. Slack's action_ids are unique per block, not per message (a floor has one actions block
 * per agent): a button with the id but another value is passed over, and named only if none matches.
 */
export function findButton(blocks: unknown, actionId: string, value?: string): FoundButton {
  const seen: string[] = [];
  let otherValue: { v: string | undefined } | undefined;
  for (const block of Array.isArray(blocks) ? blocks : []) {
    if (!isObj(block)) continue;
    const elements = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    for (const el of elements) {
      if (!isObj(el) || el.type !== 'button' || typeof el.action_id !== 'string') continue;
      seen.push(el.action_id);
      if (el.action_id !== actionId) continue;
      const v = typeof el.value === 'string' ? el.value : undefined;
      if (value !== undefined && value !== v) {
        otherValue ??= { v };
        continue;
      }
      const label = isObj(el.text) && typeof el.text.text === 'string' ? el.text.text : actionId;
      return {
        action_id: actionId,
        ...(v !== undefined ? { value: v } : {}),
        blockId: typeof block.block_id === 'string' ? block.block_id : 'actions',
        label,
      };
    }
  }
  if (otherValue)
    throw new BadInput(
      `value: the button ${actionId} carries ${JSON.stringify(otherValue.v ?? null)}, not ${JSON.stringify(value)}`,
    );
  throw new BadInput(
    `actionId: no button ${JSON.stringify(actionId)} there${seen.length ? ` (buttons: ${seen.join(', ')})` : ' (it has no buttons)'}`,
  );
}

/** The message as Slack puts it in a block_actions payload. */
function messageJson(m: StoredMessage, botId: string) {
  return {
    type: 'message',
    ts: m.ts,
    user: m.user,
    bot_id: m.botId || botId,
    text: m.text ?? '',
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
  };
}

/**
 * view_submission `state.values` for a modal: the page's strings for the inputs it names, the initial
 * values for the others. Unknown blocks/actions, non-strings and options the select does not have are 400.
 */
export function stateValues(view: Obj, values: unknown): Record<string, Record<string, Obj>> {
  if (values !== undefined && !isObj(values))
    throw new BadInput('values: expected {blockId: {actionId: string}}');
  const given = (values ?? {}) as Obj;
  const out: Record<string, Record<string, Obj>> = {};
  const known = new Map<string, Obj>();
  for (const block of Array.isArray(view.blocks) ? view.blocks : []) {
    if (!isObj(block) || block.type !== 'input' || !isObj(block.element)) continue;
    const el = block.element;
    if (typeof block.block_id !== 'string' || typeof el.action_id !== 'string') continue;
    known.set(`${block.block_id}\u0000${el.action_id}`, el);
  }
  for (const [blockId, actions] of Object.entries(given)) {
    if (!isObj(actions)) throw new BadInput(`values.${blockId}: expected {actionId: string}`);
    for (const [actionId, v] of Object.entries(actions)) {
      if (!known.has(`${blockId}\u0000${actionId}`))
        throw new BadInput(`values.${blockId}.${actionId}: the modal has no such input`);
      if (typeof v !== 'string') throw new BadInput(`values.${blockId}.${actionId}: expected a string`);
    }
  }
  for (const [key, el] of known) {
    const [blockId = '', actionId = ''] = key.split('\u0000');
    const v = (given[blockId] as Obj | undefined)?.[actionId] as string | undefined;
    out[blockId] = { ...out[blockId], [actionId]: elementState(el, v, `values.${blockId}.${actionId}`) };
  }
  return out;
}

type Option = { text?: unknown; value?: unknown };

function elementState(el: Obj, v: string | undefined, where: string): Obj {
  const type = String(el.type);
  if (type === 'static_select') {
    const options = (Array.isArray(el.options) ? el.options : []) as Option[];
    if (v === undefined || v === '') return { type, selected_option: el.initial_option ?? null };
    const option = options.find((o) => o.value === v);
    if (!option) throw new BadInput(`${where}: ${JSON.stringify(v)} is not one of the select's options`);
    return { type, selected_option: option };
  }
  if (v === undefined) return { type, value: typeof el.initial_value === 'string' ? el.initial_value : null };
  return { type, value: v === '' ? null : v };
}

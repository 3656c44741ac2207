import type { StoredMessage, StoredView } from '../../local/slack-api/store';
import {
  blockActionsPayload,
  interactionBody,
  signedHeaders,
  slashCommandBody,
  viewSubmissionPayload,
} from '../../local/slack-sign';
import {
  LOCAL_ALERTS_SECRET,
  LOCAL_CHANNEL,
  LOCAL_SIGNING_SECRET,
  LOCAL_TEAM,
  type LocalStack,
} from '../../local/stack';
import { signAlert } from '../../src/alerts/signature';

/** A Block Kit button as the app builds it. */
export interface ButtonElement {
  type: 'button';
  action_id: string;
  value: string;
  text?: { text?: string };
  style?: string;
  confirm?: Record<string, unknown>;
}

/** Every button of `blocks` (actions blocks and section accessories), in order. */
export function buttonsOf(blocks: unknown): ButtonElement[] {
  const out: ButtonElement[] = [];
  for (const block of Array.isArray(blocks) ? (blocks as Array<Record<string, unknown>>) : []) {
    const elements = [
      ...(Array.isArray(block.elements) ? (block.elements as unknown[]) : []),
      ...(block.accessory ? [block.accessory] : []),
    ];
    for (const e of elements as Array<Record<string, unknown>>) {
      if (e?.type === 'button' && typeof e.action_id === 'string')
        out.push({ ...e, value: typeof e.value === 'string' ? e.value : '' } as ButtonElement);
    }
  }
  return out;
}

/** The first button of `blocks` whose value starts with `valuePrefix`; throws (listing them) if none. */
export function findButton(blocks: unknown, valuePrefix: string): ButtonElement {
  const all = buttonsOf(blocks);
  const found = all.find((b) => b.value.startsWith(valuePrefix));
  if (!found)
    throw new Error(
      `no button with a value starting ${JSON.stringify(valuePrefix)}; there are: ${all.map((b) => b.value).join(', ') || 'none'}`,
    );
  return found;
}

/** The trigger_id a signed request carries (a slash command or an interaction), and what it was. */
function triggerOf(body: string): { triggerId: string; what: string } | undefined {
  const form = new URLSearchParams(body);
  const command = form.get('command');
  const triggerId = form.get('trigger_id');
  if (command && triggerId) return { triggerId, what: `${command} ${form.get('text') ?? ''}`.trim() };
  try {
    const payload = JSON.parse(form.get('payload') ?? '') as {
      type?: string;
      trigger_id?: string;
      actions?: Array<{ action_id?: string }>;
    };
    if (typeof payload.trigger_id !== 'string') return undefined;
    return {
      triggerId: payload.trigger_id,
      what: `${payload.type ?? 'interaction'} ${payload.actions?.[0]?.action_id ?? ''}`.trim(),
    };
  } catch {
    return undefined; // not an interaction (an Events API delivery has no trigger_id)
  }
}

/** Talks to the local stack exactly as Slack does: signed HTTP requests to POST /slack/events. */
export class SlackDriver {
  constructor(
    readonly stack: LocalStack,
    readonly secret = LOCAL_SIGNING_SECRET,
  ) {}

  async post(body: string, opts: { timestamp?: number; secret?: string; contentType?: string } = {}) {
    const headers = signedHeaders(opts.secret ?? this.secret, body, {
      ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
      ...(opts.contentType ? { contentType: opts.contentType } : {}),
    });
    const res = await fetch(`${this.stack.url}/slack/events`, { method: 'POST', headers, body });
    const text = await res.text();
    const sent = triggerOf(body);
    // Slack's 3 s (the fake keeps them in e2e tests): a late answer is kept in stack.slack.lateAcks().
    if (sent) this.stack.slack.noteAck(sent.triggerId, sent.what);
    let json: Record<string, unknown> | undefined;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  }

  commandBody(commandLine: string, user = 'U_DEMO', channel = LOCAL_CHANNEL, triggerId?: string) {
    const [command = '', ...rest] = commandLine.trim().split(/\s+/);
    return slashCommandBody({
      command,
      text: rest.join(' '),
      userId: user,
      teamId: LOCAL_TEAM,
      channelId: channel,
      channelName: 'qc-floor',
      responseUrl: this.stack.slack.newResponseUrl({ channel, user }),
      triggerId: triggerId ?? this.stack.slack.newTriggerId({ user, channel }),
    });
  }

  command(commandLine: string, user = 'U_DEMO', channel = LOCAL_CHANNEL) {
    return this.post(this.commandBody(commandLine, user, channel));
  }

  click(user: string, value: string, opts: { actionId?: string; channel?: string; actionTs?: string } = {}) {
    const channel = opts.channel ?? LOCAL_CHANNEL;
    return this.post(
      interactionBody(
        blockActionsPayload({
          userId: user,
          teamId: LOCAL_TEAM,
          channelId: channel,
          responseUrl: this.stack.slack.newResponseUrl({ channel, user }),
          triggerId: this.stack.slack.newTriggerId({ user, channel }),
          actionId: opts.actionId ?? 'qc_op:0',
          value,
          ...(opts.actionTs ? { actionTs: opts.actionTs } : {}),
        }),
      ),
    );
  }

  submitView(user: string, view: StoredView, values: Record<string, Record<string, string>>) {
    const state = {
      values: Object.fromEntries(
        Object.entries(values).map(([block, actions]) => [
          block,
          Object.fromEntries(
            Object.entries(actions).map(([a, v]) => [a, { type: 'plain_text_input', value: v }]),
          ),
        ]),
      ),
    };
    return this.post(
      interactionBody(
        viewSubmissionPayload({
          userId: user,
          teamId: LOCAL_TEAM,
          triggerId: this.stack.slack.newTriggerId({ user }),
          view: { ...view.view, id: view.id, state },
        }),
      ),
    );
  }

  /** Sign a demo user in through the modal, as a person would. */
  async signIn(user = 'U_DEMO', password = 'simulator') {
    const before = this.stack.slack.store.views.length;
    const triggerId = this.stack.slack.newTriggerId({ user });
    const ack = await this.post(this.commandBody('/qc signin', user, undefined, triggerId));
    if (ack.status !== 200) throw new Error(`signin ack ${ack.status}`);
    const view = await this.stack.slack.store.waitFor((s) =>
      s.views.slice(before).find((v) => v.user === user),
    );
    return this.submitView(user, view, { qc_password: { password_input: password } });
  }

  channel(channel = LOCAL_CHANNEL): StoredMessage[] {
    return this.stack.slack.store.channelMessages(channel);
  }

  waitForChannelMessage(match: RegExp, channel = LOCAL_CHANNEL): Promise<StoredMessage> {
    return this.stack.slack.store.waitFor((s) =>
      s.channelMessages(channel).find((m) => match.test(m.text ?? '')),
    );
  }

  waitForEphemeral(user: string, match: RegExp): Promise<StoredMessage> {
    return this.stack.slack.store.waitFor((s) => s.ephemeralFor(user).find((m) => match.test(m.text ?? '')));
  }

  waitForThread(parent: StoredMessage, match: RegExp): Promise<StoredMessage> {
    return this.stack.slack.store.waitFor((s) =>
      s.thread(parent.channel, parent.ts).find((m) => match.test(m.text ?? '')),
    );
  }

  // ---- helpers for the supervisor toolkit's tests (alerts, buttons on stored messages, events) ----

  /** POST /alerts signed like a monitoring system (x-qc-timestamp, x-qc-signature). */
  async postAlert(
    body: object | string,
    opts: { secret?: string; timestamp?: number; signature?: string } = {},
  ): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(`${this.stack.url}/alerts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-qc-timestamp': String(timestamp),
        'x-qc-signature': opts.signature ?? signAlert(opts.secret ?? LOCAL_ALERTS_SECRET, timestamp, raw),
      },
      body: raw,
    });
    const text = await res.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  }

  /** An Events API delivery (`event_callback`) of one event, signed, as JSON. */
  event(event: Record<string, unknown>, opts: { eventId?: string } = {}) {
    const body = JSON.stringify({
      token: 'unused',
      team_id: LOCAL_TEAM,
      api_app_id: 'A_QCSLACK',
      event: { event_ts: (Date.now() / 1000).toFixed(6), ...event },
      type: 'event_callback',
      event_id:
        opts.eventId ??
        `Ev${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`.toUpperCase(),
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        { team_id: LOCAL_TEAM, user_id: 'U_QCBOT', is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
    });
    return this.post(body, { contentType: 'application/json' });
  }

  /** The user opens the app's Home tab (`app_home_opened`, tab 'home'). */
  openHome(user: string) {
    return this.event({
      type: 'app_home_opened',
      user,
      channel: `D${user.replace(/^[UW]/, '')}`,
      tab: 'home',
    });
  }

  /**
   * An ephemeral ack shown to `user`, as Slack would display it: kept in the fake's store (through a
   * response_url) so its buttons can be clicked and it can be replaced or deleted.
   */
  async showAck(
    user: string,
    ack: Record<string, unknown> | undefined,
    channel = LOCAL_CHANNEL,
  ): Promise<StoredMessage> {
    if (!ack) throw new Error('the ack had no body to show');
    const before = this.stack.slack.store.messages.length;
    const url = this.stack.slack.newResponseUrl({ channel, user });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: ack.text, blocks: ack.blocks }),
    });
    if (!res.ok) throw new Error(`showAck: response_url answered ${res.status}`);
    const shown = this.stack.slack.store.messages.slice(before).find((m) => m.ephemeralTo === user);
    if (!shown) throw new Error('showAck: the ack was not stored');
    return shown;
  }

  /**
   * Click the button of `message` whose value starts with `valuePrefix`, as `user`: its real action_id
   * and value, the message's channel and ts (so replace_original / delete_original act on it).
   */
  clickButton(user: string, message: StoredMessage, valuePrefix: string, opts: { actionTs?: string } = {}) {
    const button = findButton(message.blocks, valuePrefix);
    return this.post(
      interactionBody(
        blockActionsPayload({
          userId: user,
          teamId: LOCAL_TEAM,
          channelId: message.channel,
          messageTs: message.ts,
          isEphemeral: message.ephemeralTo !== undefined,
          responseUrl: this.stack.slack.newResponseUrl({
            channel: message.channel,
            user,
            messageTs: message.ts,
          }),
          triggerId: this.stack.slack.newTriggerId({ user, channel: message.channel }),
          actionId: button.action_id,
          value: button.value,
          ...(opts.actionTs ? { actionTs: opts.actionTs } : {}),
        }),
      ),
    );
  }

  /** Click a button of the user's published App Home view (no channel, no response_url, as in Slack). */
  /** Click a Home-tab button; `stale` clicks a button the current view no longer shows (an old tab). */
  clickHomeButton(user: string, valuePrefix: string, stale?: { action_id: string; value: string }) {
    const home = this.stack.slack.store.homeViews.get(user);
    if (!home) throw new Error(`no Home view published for ${user}`);
    const button = stale ?? findButton(home.view.blocks, valuePrefix);
    const payload = blockActionsPayload({
      userId: user,
      teamId: LOCAL_TEAM,
      responseUrl: '',
      triggerId: this.stack.slack.newTriggerId({ user }),
      actionId: button.action_id,
      value: button.value,
    }) as Record<string, unknown>;
    delete payload.channel;
    delete payload.message;
    delete payload.response_url;
    payload.container = { type: 'view', view_id: home.id };
    payload.view = { ...home.view, id: home.id, type: 'home' };
    return this.post(interactionBody(payload));
  }
}

import type { StoredMessage, StoredView } from '../../src/local/slack-api/store';
import {
  blockActionsPayload,
  interactionBody,
  signedHeaders,
  slashCommandBody,
  viewSubmissionPayload,
} from '../../src/local/slack-sign';
import { LOCAL_CHANNEL, LOCAL_SIGNING_SECRET, LOCAL_TEAM, type LocalStack } from '../../src/local/stack';

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
      ...(triggerId ? { triggerId } : {}),
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
}

import type { App, RespondArguments, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../../errors';
import { OP_PROGRESS } from '../../qc/monitoring';
import { confirmMessage } from '../blocks/confirm';
import { helpMessage, usageMessage } from '../blocks/help';
import { message } from '../blocks/kit';
import { outcomeMessage } from '../blocks/qc-outcome';
import { signInModalFor } from '../blocks/signin-modal';
import type { AckDeps } from '../deps';
import { type ParsedCommand, parseInterceptCommand, parseQcCommand } from '../parse';
import { enqueue, requestIdOf } from './enqueue';
import { openModalInTime, SIGNIN_NOT_OPENED } from './within-ack';

type Ack = (response?: string | RespondArguments) => Promise<void>;
const ephemeral = (m: { text: string; blocks: unknown[] }): RespondArguments => ({
  response_type: 'ephemeral',
  text: m.text,
  blocks: m.blocks as never,
});

/** `/intercept` and `/qc`: parse, validate, look up the link, enqueue, ack. No gateway call here. */
export function registerCommands(app: App, deps: AckDeps): void {
  app.command('/intercept', async ({ command, ack, client, context }) => {
    const parsed = parseInterceptCommand(command.text ?? '', deps.maxAgentId);
    await handle(deps, command, parsed, ack, { client, context });
  });
  app.command('/qc', async ({ command, ack, client, context }) => {
    await handle(deps, command, parseQcCommand(command.text ?? '', deps.maxAgentId), ack, {
      client,
      context,
    });
  });
}

async function handle(
  deps: AckDeps,
  command: SlashCommand,
  parsed: ParsedCommand,
  ack: Ack,
  slackApi: { client: Pick<WebClient, 'views'>; context: Record<string, unknown> },
): Promise<void> {
  const slack = {
    teamId: command.team_id,
    userId: command.user_id,
    channelId: command.channel_id,
    responseUrl: command.response_url,
    // Every job enqueued here follows a progress note in the ack: its answer takes the note's place.
    ackNote: true as const,
  };
  const requestId = requestIdOf(command.team_id, command.user_id, command.trigger_id);
  const say = (text: string) => ack(ephemeral(message(text)));
  try {
    switch (parsed.kind) {
      case 'help':
        return await ack(ephemeral(helpMessage(parsed.topic)));
      case 'usage':
        return await ack(ephemeral(usageMessage(parsed)));
      case 'qc': {
        const link = await deps.links.getLink(slack.teamId, slack.userId);
        if (!link) return await ack(ephemeral(outcomeMessage({ kind: 'not-linked' }, slack.userId)));
        const notSignedIn = await signInFirst(deps, slack, link.inspectorId);
        if (notSignedIn) return await ack(ephemeral(notSignedIn));
        await enqueue(deps, slack, requestId, {
          kind: 'qc',
          op: parsed.op,
          agentId: parsed.agentId,
          inspectorId: link.inspectorId,
        });
        return await say(
          `:hourglass_flowing_sand: ${OP_PROGRESS[parsed.op]} ${parsed.agentId}… (inspector ${link.inspectorId})`,
        );
      }
      case 'confirm': {
        const link = await deps.links.getLink(slack.teamId, slack.userId);
        if (!link) return await ack(ephemeral(outcomeMessage({ kind: 'not-linked' }, slack.userId)));
        const notSignedIn = await signInFirst(deps, slack, link.inspectorId);
        if (notSignedIn) return await ack(ephemeral(notSignedIn));
        return await ack(ephemeral(confirmMessage(parsed.op, parsed.target)));
      }
      case 'permissions':
        if (!deps.adminUserIds.has(slack.userId)) {
          return await say(
            'Only qc-slack admins can change permissions. Ask your platform team (they set QC_ADMIN_USER_IDS).',
          );
        }
        await enqueue(deps, slack, requestId, {
          kind: 'permissions',
          targetUserId: parsed.userId,
          change: parsed.change,
          permissions: parsed.permissions,
        });
        return await say(
          `${parsed.change === 'allow' ? 'Allowing' : 'Denying'} <@${parsed.userId}>: ${parsed.permissions.join(', ')}…`,
        );
      case 'who':
        await enqueue(deps, slack, requestId, {
          kind: 'who',
          ...(parsed.agentId ? { agentId: parsed.agentId } : {}),
        });
        return await say(`:eyes: Looking up who is monitoring ${parsed.agentId ?? 'whom'}…`);
      case 'audit':
        await enqueue(deps, slack, requestId, { kind: 'audit', words: parsed.words });
        return await say(
          parsed.words.some((w) => w.toLowerCase() === 'export')
            ? ':page_facing_up: Preparing your audit export; it arrives as a file in our DM…'
            : ':ledger: Reading the audit…',
        );
      case 'link':
      case 'unlink':
        if (!deps.adminUserIds.has(slack.userId)) {
          return await say(
            'Only qc-slack admins can link or unlink users. Ask your platform team (they set QC_ADMIN_USER_IDS).',
          );
        }
        await enqueue(
          deps,
          slack,
          requestId,
          parsed.kind === 'link'
            ? {
                kind: 'link',
                targetUserId: parsed.userId,
                inspectorId: parsed.inspectorId,
                ...(parsed.phone ? { phone: parsed.phone } : {}),
                ...(parsed.allowedPhones ? { allowedPhones: parsed.allowedPhones } : {}),
              }
            : { kind: 'unlink', targetUserId: parsed.userId },
        );
        return await say(
          parsed.kind === 'link'
            ? `Linking <@${parsed.userId}> to inspector ${parsed.inspectorId}…`
            : `Unlinking <@${parsed.userId}>…`,
        );
      case 'status':
        await enqueue(deps, slack, requestId, { kind: 'status' });
        return await say(':mag: Checking your link, gateway session and monitoring…');
      case 'signout':
        await enqueue(deps, slack, requestId, { kind: 'signout' });
        return await say('Signing you out of the gateway…');
      case 'signin': {
        const link = await deps.links.getLink(slack.teamId, slack.userId);
        if (!link) return await ack(ephemeral(outcomeMessage({ kind: 'not-linked' }, slack.userId)));
        // trigger_id lives ~3 s: the modal opens here, in the ack path, within the ack budget.
        const { client, context } = slackApi;
        const opened = await openModalInTime(deps, client, context, command.trigger_id, signInModalFor(link));
        return await (opened ? ack() : say(SIGNIN_NOT_OPENED));
      }
    }
  } catch (err) {
    deps.logger.error({ command: command.command, err: errorSummary(err) }, 'command failed');
    return await say(
      ':warning: qc-slack could not take the request right now (internal error). Nothing was sent to the gateway; try again in a moment.',
    );
  }
}

/**
 * "Sign in first" (with the Sign in button) when the inspector has no live session of this user's:
 * said at once instead of a progress note. A failed read lets the request through: the worker
 * checks the session again and answers the same.
 */
async function signInFirst(
  deps: AckDeps,
  who: { teamId: string; userId: string },
  inspectorId: string,
): Promise<{ text: string; blocks: unknown[] } | undefined> {
  try {
    const session = await deps.links.sessionOf(who, inspectorId);
    if (session.active) return undefined;
    const reason = session.endedReason;
    return outcomeMessage({ kind: 'no-session', inspectorId, ...(reason ? { reason } : {}) }, who.userId);
  } catch (err) {
    deps.logger.warn({ err: errorSummary(err) }, 'session read failed on the ack path; the worker checks');
    return undefined;
  }
}

import type { AckFn, Context, RespondArguments, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../../../errors';
import type { SlackContext } from '../../../qc/model';
import type { InspectorLink } from '../../../store/types';
import { message, type SlackMessage } from '../../blocks/kit';
import { outcomeMessage } from '../../blocks/qc-outcome';
import type { AckDeps } from '../../deps';
import { enqueue, type JobSpec } from '../enqueue';

/** One slash command being answered: who asked, its request id, and the ack that answers it. */
export interface CommandCall {
  deps: AckDeps;
  command: SlashCommand;
  slack: SlackContext;
  requestId: string;
  ack: AckFn<string | RespondArguments>;
  client: Pick<WebClient, 'views'>;
  context: Context;
}

const ephemeral = (m: SlackMessage): RespondArguments => ({
  response_type: 'ephemeral',
  text: m.text,
  blocks: m.blocks,
});

/** Answer in the ack, to the requester alone. */
export const reply = (call: CommandCall, m: SlackMessage) => call.ack(ephemeral(m));
export const say = (call: CommandCall, text: string) => reply(call, message(text));

/** Hand the job to the worker, then say `text` (the progress note its answer replaces). */
export async function enqueueAndSay(call: CommandCall, spec: JobSpec, text: string): Promise<void> {
  await enqueue(call.deps, call.slack, call.requestId, spec);
  await say(call, text);
}

/** `fn` with the requester's inspector link; "not linked" when they have none. */
export async function withLink(call: CommandCall, fn: (link: InspectorLink) => Promise<void>): Promise<void> {
  const link = await call.deps.links.getLink(call.slack.teamId, call.slack.userId);
  if (!link) return reply(call, outcomeMessage({ kind: 'not-linked' }, call.slack.userId));
  await fn(link);
}

/** withLink, and "sign in first" at once when the inspector has no live session of this user's. */
export const withSession = (call: CommandCall, fn: (link: InspectorLink) => Promise<void>) =>
  withLink(call, async (link) => {
    const notSignedIn = await signInFirst(call.deps, call.slack, link.inspectorId);
    if (notSignedIn) return reply(call, notSignedIn);
    await fn(link);
  });

/** `fn` for a qc-slack admin; anyone else is told only admins can `what`. */
export async function adminOnly(call: CommandCall, what: string, fn: () => Promise<void>): Promise<void> {
  if (!call.deps.adminUserIds.has(call.slack.userId))
    return say(
      call,
      `Only qc-slack admins can ${what}. Ask your platform team (they set QC_ADMIN_USER_IDS).`,
    );
  await fn();
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
): Promise<SlackMessage | undefined> {
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

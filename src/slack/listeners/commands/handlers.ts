import { OP_PROGRESS } from '../../../qc/monitoring';
import { confirmMessage } from '../../blocks/confirm';
import { signInModalFor } from '../../blocks/signin-modal';
import type { ParsedCommand } from '../../parse';
import { openModalInTime, SIGNIN_NOT_OPENED } from '../within-ack';
import { adminOnly, type CommandCall, enqueueAndSay, reply, say, withLink, withSession } from './call';

type Parsed<K extends ParsedCommand['kind']> = Extract<ParsedCommand, { kind: K }>;

/** A QC operation for the requester's own inspector (their link, their session). */
export const qcOp = (call: CommandCall, p: Parsed<'qc'>) =>
  withSession(call, (link) =>
    enqueueAndSay(
      call,
      { kind: 'qc', op: p.op, agentId: p.agentId, inspectorId: link.inspectorId },
      `:hourglass_flowing_sand: ${OP_PROGRESS[p.op]} ${p.agentId}… (inspector ${link.inspectorId})`,
    ),
  );

/** An operation that asks "are you sure?" first (force-*, release-call): only the question, here. */
export const confirm = (call: CommandCall, p: Parsed<'confirm'>) =>
  withSession(call, () => reply(call, confirmMessage(p.op, p.target)));

export const permissions = (call: CommandCall, p: Parsed<'permissions'>) =>
  adminOnly(call, 'change permissions', () =>
    enqueueAndSay(
      call,
      { kind: 'permissions', targetUserId: p.userId, change: p.change, permissions: p.permissions },
      `${p.change === 'allow' ? 'Allowing' : 'Denying'} <@${p.userId}>: ${p.permissions.join(', ')}…`,
    ),
  );

export const who = (call: CommandCall, p: Parsed<'who'>) =>
  enqueueAndSay(
    call,
    { kind: 'who', ...(p.agentId ? { agentId: p.agentId } : {}) },
    `:eyes: Looking up who is monitoring ${p.agentId ?? 'whom'}…`,
  );

/** `/qc floor`: linked and signed in (said at once), then the worker reads the gateway and posts the floor. */
export const floor = (call: CommandCall, p: Parsed<'floor'>) =>
  withSession(call, () =>
    enqueueAndSay(
      call,
      { kind: 'floor', scope: p.scope, ...(p.share ? { share: true as const } : {}) },
      `:bar_chart: Reading the floor of ${p.scope.kind === 'skill' ? `skill ${p.scope.skillId}` : 'your VDN'}…`,
    ),
  );

export const audit = (call: CommandCall, p: Parsed<'audit'>) =>
  enqueueAndSay(
    call,
    { kind: 'audit', words: p.words },
    p.words.some((w) => w.toLowerCase() === 'export')
      ? ':page_facing_up: Preparing your audit export; it arrives as a file in our DM…'
      : ':ledger: Reading the audit…',
  );

export const link = (call: CommandCall, p: Parsed<'link'>) =>
  adminOnly(call, 'link or unlink users', () =>
    enqueueAndSay(
      call,
      {
        kind: 'link',
        targetUserId: p.userId,
        inspectorId: p.inspectorId,
        ...(p.phone ? { phone: p.phone } : {}),
        ...(p.allowedPhones ? { allowedPhones: p.allowedPhones } : {}),
      },
      `Linking <@${p.userId}> to inspector ${p.inspectorId}…`,
    ),
  );

export const unlink = (call: CommandCall, p: Parsed<'unlink'>) =>
  adminOnly(call, 'link or unlink users', () =>
    enqueueAndSay(call, { kind: 'unlink', targetUserId: p.userId }, `Unlinking <@${p.userId}>…`),
  );

export const status = (call: CommandCall) =>
  enqueueAndSay(call, { kind: 'status' }, ':mag: Checking your link, gateway session and monitoring…');

export const signOut = (call: CommandCall) =>
  enqueueAndSay(call, { kind: 'signout' }, 'Signing you out of the gateway…');

/** trigger_id lives ~3 s: the modal opens here, in the ack path, within the ack budget. */
export const signIn = (call: CommandCall) =>
  withLink(call, async (link) => {
    const { deps, client, context, command } = call;
    const opened = await openModalInTime(deps, client, context, command.trigger_id, signInModalFor(link));
    await (opened ? call.ack() : say(call, SIGNIN_NOT_OPENED));
  });

import type { AccountNotice, AdminChange, GatewaySignOut } from '../../qc/notice';
import { escapeMrkdwn } from './limits';

/**
 * The words of the admin commands' notices (`/qc link`, `unlink`, `allow`, `deny`) and of the DM a
 * user gets when an admin's change ended their session. Every ID is escaped (it came through the queue).
 */

/** A kind of notice and the words of each: the compiler checks that every kind has its words. */
export type NoticeWords<N extends { kind: string }> = {
  [K in N['kind']]: (n: Extract<N, { kind: K }>) => string;
};

const esc = escapeMrkdwn;
const mention = (userId: string) => `<@${esc(userId)}>`;

const ADMIN_ONLY: Record<Extract<AccountNotice, { kind: 'admin-only' }>['command'], string> = {
  permissions: 'change permissions',
  link: 'link users',
  unlink: 'unlink users',
};

/** The end of a sentence about the sign-out: " (signed out at the gateway)" or what went wrong. */
function signOutWords(out: GatewaySignOut): string {
  return out.signedOut
    ? ' (signed out at the gateway)'
    : ` here; the gateway did not confirm the sign-out (${esc(out.problem)}), so it drops the session by itself within about 2 minutes`;
}

/** " Their gateway session was ended (signed out at the gateway); they were told by DM." or "". */
function endedWords(ended: GatewaySignOut | undefined, subject: string): string {
  return ended ? ` ${subject} was ended${signOutWords(ended)}; they were told by DM.` : '';
}

/** What the admin did, following "An admin (<@U…>) ". */
function changeWords(change: AdminChange): string {
  switch (change.kind) {
    case 'relinked':
      return `relinked you from inspector ${esc(change.from)} to ${esc(change.to)}`;
    case 'phones-changed':
      return 'changed your soft-phones: the one your session used is no longer allowed';
    case 'inspector-relinked':
      return `linked inspector ${esc(change.inspectorId)} to another Slack user`;
    case 'unlinked':
      return `unlinked you from inspector ${esc(change.inspectorId)}`;
  }
}

function linkedWords(n: Extract<AccountNotice, { kind: 'linked' }>): string {
  const [first, ...more] = n.phones.map(esc);
  const phones = first
    ? `(phone ${first}${more.length ? `; also allowed: ${more.join(', ')}` : ''}). They can now /qc signin.`
    : '(no phone: they cannot sign in until you set one with `/qc link` again).';
  const own = n.own ? endedWords(n.own.ended, `Their session as inspector ${esc(n.own.inspectorId)}`) : '';
  const taken = n.taken
    ? endedWords(n.taken, `The session of ${mention(n.taken.userId)} as inspector ${esc(n.inspectorId)}`)
    : '';
  return `Linked ${mention(n.targetUserId)} to inspector ${esc(n.inspectorId)} ${phones}${own}${taken}`;
}

export const ACCOUNT_WORDS: NoticeWords<AccountNotice> = {
  'admin-only': (n) =>
    `Only qc-slack admins can ${ADMIN_ONLY[n.command]} (QC_ADMIN_USER_IDS). Ask your platform team.`,
  'user-not-linked': (n) =>
    `${mention(n.targetUserId)} is not linked to an inspector: \`/qc link @them <inspector-id>\` first.`,
  'unlinked-meanwhile': (n) => `${mention(n.targetUserId)} was unlinked meanwhile; nothing changed.`,
  'was-not-linked': (n) => `${mention(n.targetUserId)} was not linked.`,
  'inspector-taken': (n) =>
    `Inspector ${esc(n.inspectorId)} is already linked to another Slack user. Unlink them first: /qc unlink @them`,
  linked: linkedWords,
  unlinked: (n) =>
    `Unlinked ${mention(n.targetUserId)} from inspector ${esc(n.inspectorId)}.${endedWords(n.ended, 'Their gateway session')}`,
  'session-ended-by-admin': (n) =>
    `:electric_plug: An admin (${mention(n.adminId)}) ${changeWords(n.change)}, so your gateway session as inspector ${esc(n.inspectorId)} was ended${signOutWords(n.signOut)}.`,
};

import { MODE_VERB } from '../../qc/monitoring';
import type { AccountNotice, FloorNotice, Notice, RequestNotice } from '../../qc/notice';
import type { GatewayFallback, InspectorLink, MonitoringRecord, SessionRecord } from '../../store/types';
import { auditTable } from './audit';
import { context, joinWithin, message, type SlackMessage, section, sectionsOf } from './kit';
import { escapeMrkdwn, LIMITS } from './limits';
import { ACCOUNT_WORDS } from './notices-account';
import { FLOOR_WORDS } from './notices-floor';
import { REQUEST_WORDS } from './notices-requests';
import { clock, signInButton } from './qc-outcome';

export function noticeMessage(notice: Notice): SlackMessage {
  switch (notice.kind) {
    case 'session-ended':
      return message(
        `Your gateway session as inspector ${notice.inspectorId} ended: ${escapeMrkdwn(notice.reason)}. Sign in again with /qc signin.`,
        section(
          `:electric_plug: Your gateway session as inspector *${notice.inspectorId}* ended: ${escapeMrkdwn(notice.reason)}.`,
        ),
        section('Sign in again to keep monitoring: `/qc signin`'),
        signInButton(),
      );
    case 'status':
      return statusMessage(
        notice.link,
        notice.session,
        notice.monitoring,
        notice.now,
        notice.gatewayFallbacks,
      );
    case 'who':
      return whoMessage(notice);
    case 'audit':
      return auditTable(notice.entries, {
        range: notice.range,
        ...(notice.scopeNote ? { scopeNote: notice.scopeNote } : {}),
      });
    case 'permissions': {
      const text = `<@${notice.targetUserId}> (inspector ${notice.inspectorId}) may now: ${notice.permissions.join(', ') || 'nothing but stop'}${notice.byDefault ? ' (the default set)' : ''}.`;
      return message(text, section(`:key: ${text}`), context('Stopping is always allowed.'));
    }
    default:
      return message(familyWords(notice));
  }
}

const FAMILY_WORDS = { ...ACCOUNT_WORDS, ...REQUEST_WORDS, ...FLOOR_WORDS };

/** The one-sentence notices: their words come from the family's table (notices-account/-requests). */
function familyWords(notice: AccountNotice | RequestNotice | FloorNotice): string {
  // The table is keyed by kind, and each entry takes the notice of its own kind.
  const words = FAMILY_WORDS[notice.kind] as (n: AccountNotice | RequestNotice | FloorNotice) => string;
  return words(notice);
}

/** Most rows `/qc who` lists; the rest are counted ("…and 12 more"). */
export const WHO_MAX_ROWS = 50;

/**
 * `/qc who [agent]`: who monitors whom right now, in which mode, since when (from our state). The rows
 * go in as many sections as they need (each within 3,000 characters), at most WHO_MAX_ROWS of them and
 * within the message's text budget; the rest are counted, so any number of inspectors gives a message
 * Slack takes.
 */
function whoMessage(n: Extract<Notice, { kind: 'who' }>): SlackMessage {
  const scope = n.agentId ? `agent ${n.agentId}` : 'any agent';
  if (n.rows.length === 0) {
    return message(`Nobody is monitoring ${scope} right now.`);
  }
  const lines = n.rows
    .slice()
    .sort((a, b) => (a.agentId ?? '').localeCompare(b.agentId ?? '') || (a.since ?? 0) - (b.since ?? 0))
    .map((m) => whoLine(m, n.now));
  const budget = LIMITS.blocksText - 1000; // room for the title, the count and the context
  const { blocks, shown } = sectionsOf(lines.slice(0, WHO_MAX_ROWS), budget);
  const more = n.rows.length - shown;
  const tail =
    more > 0 ? [context(`…and ${more} more. \`/qc who &lt;agent-id&gt;\` lists one agent's.`)] : [];
  const plain = joinWithin(
    lines.map((l) => l.replace(/\*/g, '')),
    ' ',
    LIMITS.fallbackText - 60,
    (rest) => `…and ${rest} more`,
  );
  return message(
    `${n.rows.length} monitoring ${scope}: ${plain.text}`,
    section(`:eyes: *Monitoring ${scope} now* (${n.rows.length})`),
    ...blocks,
    ...tail,
    context("From qc-slack's state, kept current by the gateway's events."),
  );
}

function whoLine(m: MonitoringRecord & { userId?: string }, now: number): string {
  const who = m.userId ? `<@${m.userId}>` : 'an unlinked inspector';
  const since = m.since ? ` for ${age(now - m.since)} (since ${clock(m.since)})` : '';
  const mode = m.mode ? MODE_VERB[m.mode] : 'on';
  return `• ${who} (inspector ${m.inspectorId}) — ${mode} *${m.agentId}*${since}${m.confirmed ? '' : ' · not yet confirmed by the gateway'}`;
}

export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 90 ? `${m} min` : `${Math.round(m / 60)} h`;
}

/** `/qc status`: link, session (never the Guid), monitoring. */
export function statusMessage(
  link: InspectorLink | undefined,
  session: SessionRecord | undefined,
  monitoring: MonitoringRecord | undefined,
  now: number,
  fallbacks?: Partial<Record<GatewayFallback, number>>,
): SlackMessage {
  const gatewayNote = fallbacks?.['no-handshake']
    ? [
        context(
          ':information_source: Admins: this gateway has no `handshake` route (an older route table): push-mode sessions are kept alive by polling.',
        ),
      ]
    : [];
  if (!link) {
    return message(
      'You are not linked to an inspector ID. Ask a qc-slack admin: /qc link @you &lt;inspector-id&gt; &lt;phone&gt;',
      section(':bust_in_silhouette: You are not linked to an inspector ID.'),
      context('Ask a qc-slack admin to run `/qc link @you &lt;inspector-id&gt; &lt;phone&gt;`.'),
      ...gatewayNote,
    );
  }
  const lines = [`*Inspector:* ${link.inspectorId}${link.phone ? ` · phone ${link.phone}` : ''}`];
  const active = session?.status === 'active';
  if (active && session) {
    lines.push(
      `*Gateway session:* signed in ${age(now - session.signedInAt)} ago · ${session.mode === 'push' ? 'push events' : 'event polling'} · credential refreshed ${age(now - session.guidUpdatedAt)} ago`,
    );
  } else {
    lines.push(
      `*Gateway session:* not signed in${session?.endedReason ? ` (last session ended: ${escapeMrkdwn(session.endedReason)})` : ''}`,
    );
  }
  if (active && monitoring?.agentId && monitoring.mode) {
    lines.push(
      `*Monitoring:* ${MODE_VERB[monitoring.mode]} *${monitoring.agentId}*${monitoring.since ? ` for ${age(now - monitoring.since)}` : ''}${monitoring.confirmed ? '' : ' (not yet confirmed by the gateway)'}`,
    );
  } else {
    lines.push('*Monitoring:* nobody');
  }
  return message(
    lines.join(' — ').replace(/\*/g, ''),
    section(lines.join('\n')),
    ...gatewayNote,
    ...(active ? [] : [signInButton()]),
  );
}

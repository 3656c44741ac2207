import { MODE_VERB } from '../../qc/monitoring';
import type { Notice } from '../../qc/ports';
import type { InspectorLink, MonitoringRecord, SessionRecord } from '../../store/types';
import { context, message, type SlackMessage, section } from './kit';
import { signInButton } from './qc-outcome';

export function noticeMessage(notice: Notice): SlackMessage {
  switch (notice.kind) {
    case 'session-ended':
      return message(
        `Your gateway session as inspector ${notice.inspectorId} ended: ${notice.reason}. Sign in again with /qc signin.`,
        section(
          `:electric_plug: Your gateway session as inspector *${notice.inspectorId}* ended: ${notice.reason}.`,
        ),
        section('Sign in again to keep monitoring: `/qc signin`'),
        signInButton(),
      );
    case 'status':
      return statusMessage(notice.link, notice.session, notice.monitoring, notice.now);
    case 'text':
      return message(notice.text);
  }
}

function age(ms: number): string {
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
): SlackMessage {
  if (!link) {
    return message(
      'You are not linked to an inspector ID. Ask a qc-slack admin: /qc link @you <inspector-id> [phone]',
      section(':bust_in_silhouette: You are not linked to an inspector ID.'),
      context('Ask a qc-slack admin to run `/qc link @you <inspector-id> [phone]`.'),
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
      `*Gateway session:* not signed in${session?.endedReason ? ` (last session ended: ${session.endedReason})` : ''}`,
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
    ...(active ? [] : [signInButton()]),
  );
}

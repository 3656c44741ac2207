import { MODE_VERB } from '../../qc/monitoring';
import type { HomeView } from '../../qc/ports';
import { qcOpValue } from '../button-value';
import { ACTION, actions, type Block, type ButtonSpec, context, section } from './kit';
import { escapeMrkdwn } from './limits';
import { age } from './notices';
import { clock, resultWord } from './qc-outcome';

/**
 * The App Home tab: link, session (signed in?, poll/push, credential age — never the Guid),
 * current monitoring, permissions, recent actions, and Sign in / Sign out / Stop buttons.
 */
export function homeView(v: HomeView): { type: 'home'; blocks: Block[] } {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: 'qc-slack', emoji: true } }];
  if (!v.link) {
    blocks.push(
      section(':bust_in_silhouette: You are not linked to a CC-Gateway inspector ID yet.'),
      context(
        'Ask a qc-slack admin to run `/qc link @you &lt;inspector-id&gt; [phone]`. `/qc help` lists every command.',
      ),
    );
    return { type: 'home', blocks };
  }
  const active = v.session?.status === 'active' ? v.session : undefined;
  blocks.push(
    section(
      [
        `*Inspector* ${v.link.inspectorId}${v.link.phone ? ` · phone ${v.link.phone}` : ''}`,
        active
          ? `*Gateway session* :large_green_circle: signed in ${age(v.now - active.signedInAt)} ago · ${active.mode === 'push' ? 'push events' : 'event polling'} · credential refreshed ${age(v.now - active.guidUpdatedAt)} ago`
          : `*Gateway session* :white_circle: not signed in${v.session?.endedReason ? ` (last session ended: ${escapeMrkdwn(v.session.endedReason)})` : ''}`,
        active && v.monitoring?.agentId && v.monitoring.mode
          ? `*Monitoring* ${MODE_VERB[v.monitoring.mode]} *${v.monitoring.agentId}*${v.monitoring.since ? ` for ${age(v.now - v.monitoring.since)}` : ''}`
          : '*Monitoring* nobody',
        `*Allowed* ${v.permissions.join(', ') || 'nothing yet'} · stop is always allowed`,
      ].join('\n'),
    ),
  );
  // The gateway refuses a sign-out while monitoring (100-010): offer Stop first, then Sign out.
  const monitoring = Boolean(active && v.monitoring?.agentId);
  const buttons: ButtonSpec[] = !active
    ? [{ text: 'Sign in', actionId: ACTION.openSignIn, value: 'signin', style: 'primary' }]
    : monitoring
      ? []
      : [{ text: 'Sign out', actionId: ACTION.signOut, value: 'signout' }];
  if (monitoring && v.monitoring?.agentId && v.monitoring.mode !== 'intercept')
    buttons.unshift({
      text: `Stop monitoring ${v.monitoring.agentId}`,
      actionId: ACTION.qcOp,
      value: qcOpValue('stop', v.monitoring.agentId),
      style: 'danger',
    });
  if (buttons.length) blocks.push(actions('qc_home', buttons));
  else if (monitoring)
    blocks.push(context('Hang up your phone to end the intercepted call; then you can sign out.'));
  blocks.push({ type: 'divider' });
  blocks.push(section('*Recent actions*'));
  blocks.push(
    v.recent.length
      ? context(
          v.recent
            .slice(0, 8)
            .map(
              (e) =>
                `${clock(e.at)} ${escapeMrkdwn(`${e.operation}${e.agentId ? ` ${e.agentId}` : ''} → ${resultWord(e.outcome)}`)}`,
            )
            .join('\n'),
        )
      : context('No actions in the last 7 days.'),
  );
  return { type: 'home', blocks };
}

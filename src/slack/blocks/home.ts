import type { HomeView as SlackHomeView } from '@slack/types';
import { MODE_VERB } from '../../qc/monitoring';
import type { HomeFloor, HomeView } from '../../qc/ports';
import { qcOpValue } from '../button-value';
import { floorHomeBlocks } from './floor';
import { ACTION, actions, type Block, type ButtonSpec, context, section } from './kit';
import { escapeMrkdwn, LIMITS } from './limits';
import { age } from './notices';
import { floorProblemWords } from './notices-floor';
import { clock, resultWord } from './qc-outcome';

/**
 * The App Home tab: link, session (signed in?, poll/push, credential age — never the Guid),
 * current monitoring, permissions, recent actions, and the buttons the state allows (nowBlocks).
 */
export function homeView(v: HomeView): SlackHomeView {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: 'qc-slack', emoji: true } }];
  if (!v.link) {
    blocks.push(
      section(':bust_in_silhouette: You are not linked to a CC-Gateway inspector ID yet.'),
      context(
        'Ask a qc-slack admin to run `/qc link @you &lt;inspector-id&gt; &lt;phone&gt;`. `/qc help` lists every command.',
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
        `*Allowed* ${v.permissions.join(', ') || 'nothing yet'}`,
      ].join('\n'),
    ),
  );
  blocks.push(...nowBlocks(v, Boolean(active)));
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
  if (v.floor) blocks.push(...floorSection(v.floor, LIMITS.viewBlocks - blocks.length));
  return { type: 'home', blocks };
}

/**
 * The Floor section: a divider, then the floor within the blocks Home has left (Slack's 100 a view), or
 * one line saying why it is not shown.
 */
function floorSection(f: HomeFloor, left: number): Block[] {
  const head: Block[] = [{ type: 'divider' }];
  switch (f.kind) {
    case 'shown':
      return [...head, ...floorHomeBlocks(f.view, left - head.length)];
    case 'sign-in':
      return [...head, section('*Floor*'), context('Sign in to see the floor.')];
    case 'not-allowed':
      return [
        ...head,
        section('*Floor*'),
        context('The floor lists agents to monitor; you may not monitor yet. Ask a qc-slack admin.'),
      ];
    case 'unread':
      return [...head, section('*Floor*'), context(`:warning: No floor: ${floorProblemWords(f.problem)}.`)];
  }
}

/**
 * What the user can do now, and only that: Sign in when signed out; Stop while monitoring (the
 * gateway refuses a sign-out then, 100-010); Sign out when idle; nothing while holding an
 * intercepted call, which only hanging up the phone ends.
 */
function nowBlocks(v: HomeView, signedIn: boolean): Block[] {
  const agent = v.monitoring?.agentId;
  const mode = v.monitoring?.mode;
  if (!signedIn)
    return [
      actions('qc_home', [
        { text: 'Sign in', actionId: ACTION.openSignIn, value: 'signin', style: 'primary' },
      ]),
    ];
  if (!agent || !mode)
    return [actions('qc_home', [{ text: 'Sign out', actionId: ACTION.signOut, value: 'signout' }])];
  if (mode === 'intercept')
    return [
      context(
        `:telephone_receiver: You hold the call you took over from agent ${agent}. Hang up your phone to end it; then you can monitor again or sign out.`,
      ),
    ];
  const stop: ButtonSpec = {
    text: `Stop monitoring ${agent}`,
    actionId: ACTION.qcOp,
    value: qcOpValue('stop', agent),
    style: 'danger',
  };
  return [actions('qc_home', [stop]), context('You can sign out once you stop monitoring.')];
}

import type { FloorNotice, FloorProblem } from '../../qc/notice';
import { escapeMrkdwn } from './limits';
import type { NoticeWords } from './notices-account';

/**
 * The words of `/qc floor`'s answers and of its page/Refresh buttons' refusals. The permalink and the
 * gateway's words are escaped (they come from outside).
 */

const esc = escapeMrkdwn;

/** "the gateway refused to list the agents: <meaning> <next step> (retcode X)" or the transport words. */
export function floorProblemWords(p: FloorProblem): string {
  return p.kind === 'refused'
    ? `the gateway refused to list the agents: ${esc(p.meaning)} ${esc(p.nextStep)} (retcode ${esc(p.retcode)})`
    : `the gateway could not be reached: ${esc(p.explanation)} ${esc(p.nextStep)}`;
}

const LIVE = 'It stays live for 30 minutes.';

export const FLOOR_WORDS: NoticeWords<FloorNotice> = {
  'floor-opened': (n) => {
    const where = n.where === 'dm' ? 'in your DM with qc-slack' : 'posted in this channel';
    const link = n.permalink ? `: <${esc(n.permalink)}|open it>` : '';
    return `:clipboard: The floor is ${where}${link}. ${LIVE}`;
  },
  'floor-unread': (n) => `:warning: No floor: ${floorProblemWords(n.problem)}. Nothing was posted.`,
  'floor-not-allowed': (n) =>
    `:no_entry: The floor shows agents to monitor, and you may not monitor (none of listen, insert, whisper, intercept). ${
      n.admins.length ? `Ask ${n.admins.map((a) => `<@${esc(a)}>`).join(' or ')}` : 'Ask a qc-slack admin'
    } to \`/qc allow\` you.`,
  'floor-closed': () => 'This floor is closed (qc-slack no longer keeps it). Run `/qc floor` for a new one.',
};

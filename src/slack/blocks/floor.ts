import { checkAgentId } from '../../gateway/agent-id';
import {
  countByState,
  FLOOR_STATES,
  type Floor,
  type FloorAgent,
  type FloorMonitor,
  type FloorScope,
  type FloorState,
  type FloorView,
  isOnCall,
  maskNumber,
  orderAgents,
} from '../../qc/floor';
import type { MonitorMode } from '../../qc/model';
import { decodeButtonValue, encodeButtonValue, qcOpValue } from '../button-value';
import { ACTION, actions, type Block, type ButtonSpec, context, type SlackMessage, section } from './kit';
import { escapeMrkdwn, fitMrkdwn, fitPlain, LIMITS } from './limits';
import { clock } from './qc-outcome';

/**
 * A floor as Block Kit, for one message or a Home section: a header (VDN or skill), counts per state,
 * "as of" time and live/paused note; then per agent on a call a line (state, duration, masked number,
 * monitors) with Listen, Whisper and Take over (danger confirm); then the others compacted per state.
 * A floor too big for one message is paged: pages fill greedily within the block and text budgets, and
 * the text says which agents are shown ("showing 1–15 of 500"), so nothing is cut off silently.
 */

export const FLOOR_ACTION = {
  takeOver: 'qc_floor_takeover',
  page: 'qc_floor_page',
  refresh: 'qc_floor_refresh',
} as const;
export const FLOOR_ACTION_PATTERN = {
  takeOver: /^qc_floor_takeover(:\d+)?$/,
  page: /^qc_floor_page(:\d+)?$/,
  refresh: /^qc_floor_refresh(:\d+)?$/,
} as const;

const STATE_LABEL: Record<FloorState, string> = {
  talking: '📞 talking',
  ringing: '🔔 ringing',
  idle: '🟢 idle',
  busy: '⛔ busy',
  rest: '☕ rest',
  'wrap-up': '📝 wrap-up',
  'signed-out': '⚪ signed out',
  unknown: '❔ unknown',
};
const MODE_WORD: Record<MonitorMode, string> = {
  listen: 'listening',
  insert: 'in the call',
  whisper: 'whispering',
  intercept: 'took over',
};

/** Blocks and texts kept free of agent rows: header, counts, notes, refresh, footer, paging. */
const FIXED_BLOCKS = 6;
const FIXED_TEXT = 1_600;
/** A compact group's section is closed before it reaches Slack's 3,000. */
const GROUP_TEXT = 2_800;

const SCOPE_ALL = 'all';
const scopeKey = (s: FloorScope) => (s.kind === 'skill' ? s.skillId : SCOPE_ALL);
const scopeWords = (s: FloorScope) =>
  s.kind === 'skill' ? `skill ${s.skillId}` : s.vdnId !== undefined ? `VDN ${s.vdnId}` : 'your VDN';

/** "0:42", "12:05", "1:02:03". */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

/** A Slack user ID (the local stack's are `U_DEMO`-like: `_` cannot open or close a mention). */
const SLACK_USER = /^[UW][A-Z0-9_]{2,30}$/;

function monitorText(m: FloorMonitor): string {
  const who =
    m.kind === 'slack-user' && SLACK_USER.test(m.who) ? `<@${m.who}>` : `inspector ${escapeMrkdwn(m.who)}`;
  return m.mode ? `${who} ${MODE_WORD[m.mode]}` : who;
}

function agentLabel(a: FloorAgent): string {
  const id = `*${escapeMrkdwn(a.id)}*`;
  return a.name ? `${id} ${escapeMrkdwn(fitPlain(a.name, 60))}` : id;
}

/** One agent on a call: its line and its buttons (2 blocks). */
function callRow(a: FloorAgent, now: number): Block[] {
  const parts = [agentLabel(a), STATE_LABEL[a.state]];
  if (a.since !== undefined) parts[1] += ` ${elapsed(now - a.since)}`;
  if (a.callerNumber !== undefined) parts.push(`customer ${maskNumber(a.callerNumber)}`);
  if (a.monitors.length) parts.push(`👂 ${a.monitors.map(monitorText).join(', ')}`);
  const id = escapeMrkdwn(a.id);
  const buttons: ButtonSpec[] = [
    { text: 'Listen', actionId: ACTION.qcOp, value: qcOpValue('listen', a.id) },
    { text: 'Whisper', actionId: ACTION.qcOp, value: qcOpValue('whisper', a.id) },
    {
      text: 'Take over',
      actionId: FLOOR_ACTION.takeOver,
      value: encodeButtonValue([a.id]),
      style: 'danger',
      confirm: {
        title: `Take over agent ${fitPlain(a.id, 20)}?`,
        text: `You will listen to *${id}*, and once your phone is answered, take the customer from them. The agent leaves the call.`,
        confirm: 'Take over',
      },
    },
  ];
  return [section(fitMrkdwn(parts.join(' · '), LIMITS.sectionText)), actions(`floor_agent_${a.id}`, buttons)];
}

/** One agent in a compact group: "2001 Ann (5:02)". */
function compactToken(a: FloorAgent, now: number): string {
  const time = a.since !== undefined ? ` (${elapsed(now - a.since)})` : '';
  return `${agentLabel(a).replace(/\*/g, '')}${time}`;
}

/** Every `text` string in blocks, summed (as Slack counts a message's total). */
function textLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + textLength(v), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  for (const [k, v] of Object.entries(value))
    n += k === 'text' && typeof v === 'string' ? v.length : textLength(v);
  return n;
}

interface Budget {
  blocks: number;
  text: number;
}

type BodyPart = Block[] | { state: FloorState; head: string; tokens: string[]; length: number };

/** The body of one page from `start`: as many agents as fit the budget (at least one). */
function pageBody(agents: FloorAgent[], start: number, now: number, budget: Budget) {
  const parts: BodyPart[] = [];
  let blocks = 0;
  let text = 0;
  let end = start;
  for (; end < agents.length; end++) {
    const a = agents[end] as FloorAgent;
    const last = parts[parts.length - 1];
    if (isOnCall(a.state)) {
      const row = callRow(a, now);
      const cost = textLength(row);
      if (end > start && (blocks + 2 > budget.blocks || text + cost > budget.text)) break;
      parts.push(row);
      blocks += 2;
      text += cost;
      continue;
    }
    const token = compactToken(a, now);
    const group = last && !Array.isArray(last) && last.state === a.state ? last : undefined;
    const joins = group !== undefined && group.length + 2 + token.length <= GROUP_TEXT;
    const head = `*${STATE_LABEL[a.state]}*: `;
    const cost = joins ? token.length + 2 : head.length + token.length;
    if (end > start && ((!joins && blocks + 1 > budget.blocks) || text + cost > budget.text)) break;
    if (joins && group) {
      group.tokens.push(token);
      group.length += token.length + 2;
    } else {
      parts.push({ state: a.state, head, tokens: [token], length: head.length + token.length });
      blocks += 1;
    }
    text += cost;
  }
  const body = parts.flatMap((p) => (Array.isArray(p) ? p : [section(p.head + p.tokens.join(', '))]));
  return { blocks: body, end };
}

/** Where each page starts (the first is 0). */
function pageStarts(agents: FloorAgent[], now: number, budget: Budget): number[] {
  const starts: number[] = [];
  for (let start = 0; start < agents.length; ) {
    starts.push(start);
    start = pageBody(agents, start, now, budget).end;
  }
  return starts.length ? starts : [0];
}

function countsLine(floor: Floor): string {
  const counts = countByState(floor);
  const parts = FLOOR_STATES.filter((s) => counts[s] > 0).map((s) => `${STATE_LABEL[s]} ${counts[s]}`);
  return `*${floor.agents.size} agents* · ${parts.join(' · ') || 'none'}`;
}

function headBlocks(v: FloorView): Block[] {
  const title = fitPlain(`Floor · ${scopeWords(v.scope)}`, LIMITS.headerText);
  const status = v.paused
    ? '⏸️ *Paused*: this floor stopped updating after 30 min. Press Refresh to follow it again.'
    : '🔴 *Live*: updates as agents change.';
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: title, emoji: true } },
    context(countsLine(v.floor), `as of ${clock(v.floor.asOf)} · ${status}`),
  ];
  if (v.notes?.length)
    blocks.push(context(...v.notes.slice(0, 2).map((n) => fitMrkdwn(escapeMrkdwn(n), 300))));
  if (v.paused) {
    const value = encodeButtonValue([scopeKey(v.scope), String(v.page)]);
    blocks.push(
      actions('floor_refresh', [
        { text: '🔄 Refresh', actionId: FLOOR_ACTION.refresh, value, style: 'primary' },
      ]),
    );
  }
  return blocks;
}

function pagingBlocks(v: FloorView, page: number, pages: number, from: number, to: number): Block[] {
  const total = v.floor.agents.size;
  if (total === 0) return [context('No agents on this floor.')];
  const hidden = total - (to - from);
  const shown = `Showing ${from + 1}–${to} of ${total} agents`;
  if (pages === 1) return [context(`${shown}.`)];
  const line = `${shown} (page ${page + 1} of ${pages}); ${hidden} not shown: use the page buttons.`;
  const buttons: ButtonSpec[] = [];
  const key = scopeKey(v.scope);
  if (page > 0)
    buttons.push({
      text: '◀ Previous',
      actionId: FLOOR_ACTION.page,
      value: encodeButtonValue([key, String(page - 1)]),
    });
  if (page < pages - 1)
    buttons.push({
      text: 'Next ▶',
      actionId: FLOOR_ACTION.page,
      value: encodeButtonValue([key, String(page + 1)]),
    });
  return [context(line), actions('floor_pages', buttons)];
}

/** The blocks of one floor page, within `maxBlocks` and Slack's total text; and what the page shows. */
export function floorBlocks(
  v: FloorView,
  maxBlocks: number = LIMITS.messageBlocks,
): { blocks: Block[]; page: number; pages: number; shown: [from: number, to: number] } {
  const agents = orderAgents(v.floor);
  const budget = { blocks: Math.max(2, maxBlocks - FIXED_BLOCKS), text: LIMITS.blocksText - FIXED_TEXT };
  const starts = pageStarts(agents, v.now, budget);
  const page = Math.min(Math.max(0, Math.floor(v.page)), starts.length - 1);
  const from = starts[page] ?? 0;
  const body = agents.length ? pageBody(agents, from, v.now, budget) : { blocks: [], end: 0 };
  const blocks = [...headBlocks(v), ...body.blocks, ...pagingBlocks(v, page, starts.length, from, body.end)];
  return { blocks, page, pages: starts.length, shown: [from, body.end] };
}

/** The floor as one message (chat.postMessage / chat.update). */
export function floorMessage(v: FloorView): SlackMessage {
  const { blocks, page, pages, shown } = floorBlocks(v, LIMITS.messageBlocks);
  const counts = countByState(v.floor);
  const summary = FLOOR_STATES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
  const paging =
    pages > 1
      ? ` (showing ${shown[0] + 1}–${shown[1]} of ${v.floor.agents.size}, page ${page + 1} of ${pages})`
      : '';
  const text = `Floor ${escapeMrkdwn(scopeWords(v.scope))}: ${summary || 'no agents'}${paging}${v.paused ? ' · paused' : ''}`;
  return { text: fitMrkdwn(text, LIMITS.fallbackText), blocks };
}

/** The floor as a Home section: the same blocks within the blocks the Home view has left. */
export function floorHomeBlocks(v: FloorView, maxBlocks: number): Block[] {
  return floorBlocks(v, Math.min(maxBlocks, LIMITS.viewBlocks)).blocks;
}

/** A page or refresh button's value: the floor's scope and page; undefined when forged or malformed. */
export function parseFloorPageValue(
  value: string | undefined,
): { scope: FloorScope; page: number } | undefined {
  const [key, page] = decodeButtonValue(value, 2) ?? [];
  if (key === undefined || page === undefined || !/^\d{1,4}$/.test(page)) return undefined;
  if (key === SCOPE_ALL) return { scope: { kind: 'vdn' }, page: Number(page) };
  return /^\d{1,9}$/.test(key) ? { scope: { kind: 'skill', skillId: key }, page: Number(page) } : undefined;
}

/** A Take over button's value: the agent ID, checked; undefined when forged or malformed. */
export function parseTakeOverValue(value: string | undefined, maxAgentId: number): string | undefined {
  const [agent] = decodeButtonValue(value, 1) ?? [];
  const checked = checkAgentId(agent, maxAgentId);
  return checked.ok ? checked.id : undefined;
}

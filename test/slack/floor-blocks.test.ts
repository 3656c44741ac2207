import { describe, expect, it } from 'vitest';
import { blocksTextLength, checkMessageBlocks, checkView } from '../../local/slack-api/validate';
import type { AgentStatusEntry } from '../../src/gateway';
import { buildFloor, type Floor, type FloorMonitorRecord, type FloorView } from '../../src/qc/floor';
import {
  FLOOR_ACTION_PATTERN,
  floorBlocks,
  floorHomeBlocks,
  floorMessage,
  parseFloorPageValue,
  parseTakeOverValue,
} from '../../src/slack/blocks/floor';
import type { Block } from '../../src/slack/blocks/kit';
import { LIMITS } from '../../src/slack/blocks/limits';
import { parseQcOpValue } from '../../src/slack/button-value';

const NOW = Date.UTC(2026, 10, 25, 9);
const STATUS_CYCLE = [7, 7, 4, 3, 5, 8, 2, 7, 4, 7];

/** `n` agents from 2001: 50% on calls (one in 10 ringing), the rest idle, busy, wrap-up, rest, signed out. */
function entries(n: number): AgentStatusEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const status = STATUS_CYCLE[i % STATUS_CYCLE.length] as number;
    const e: AgentStatusEntry = { workNo: String(2001 + i), status, sinceMs: NOW - (i + 1) * 7_000 };
    if (i % 10 === 7) e.ctiStatus = 4;
    if (status === 7) e.callerNumber = `1390000${String(i).padStart(4, '0')}`;
    if (i % 3 === 0) e.name = `Agent ${i}`;
    return e;
  });
}

function view(floor: Floor, over: Partial<FloorView> = {}): FloorView {
  return { floor, scope: { kind: 'vdn', vdnId: 1 }, now: NOW, page: 0, ...over };
}

function expectValidMessage(blocks: Block[], text: string): void {
  const checked = checkMessageBlocks(blocks);
  expect(checked.ok ? [] : checked.messages).toEqual([]);
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
  expect(blocksTextLength(blocks)).toBeLessThanOrEqual(LIMITS.blocksText);
  expect(text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
}

const buttons = (blocks: Block[]) =>
  blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as unknown as Array<Record<string, unknown> & { text: { text: string } }>);
const allText = (blocks: Block[]) => JSON.stringify(blocks);
/** The agent IDs a page shows (bold in call rows, plain in compact groups). */
const shownIds = (blocks: Block[]): string[] =>
  [...allText(blocks).matchAll(/\b(2\d{3})\b/g)].map((m) => m[1] as string);

describe('floor message', () => {
  it('0 agents: a valid message that says the floor is empty', () => {
    const msg = floorMessage(view(buildFloor([], [], NOW)));
    expectValidMessage(msg.blocks, msg.text);
    expect(msg.text).toContain('no agents');
    expect(allText(msg.blocks)).toContain('No agents on this floor.');
  });

  it('1 agent on a call: state, duration, masked number, monitors; Listen, Whisper, Take over (danger confirm)', () => {
    const records: FloorMonitorRecord[] = [
      { agentId: '2005', kind: 'slack-user', who: 'U0INSPECT', mode: 'listen' },
      { agentId: '2005', kind: 'inspector', who: '1003' },
    ];
    const floor = buildFloor(
      [{ workNo: '2005', status: 7, sinceMs: NOW - 185_000, callerNumber: '13900002005' }],
      records,
      NOW,
    );
    const msg = floorMessage(view(floor));
    expectValidMessage(msg.blocks, msg.text);
    const text = allText(msg.blocks);
    expect(text).toContain(
      '*2005* · 📞 talking 3:05 · customer •••• 2005 · 👂 <@U0INSPECT> listening, inspector 1003',
    );
    expect(text).not.toContain('13900002005');
    expect(text).toContain('Floor · VDN 1');
    expect(text).toContain('<!date^');
    expect(text).toContain('*Live*');
    const [listen, whisper, takeOver] = buttons(msg.blocks);
    expect([listen?.text.text, whisper?.text.text, takeOver?.text.text]).toEqual([
      'Listen',
      'Whisper',
      'Take over',
    ]);
    expect(parseQcOpValue(listen?.value as string, 59_999)).toEqual({ op: 'listen', agentId: '2005' });
    expect(parseQcOpValue(whisper?.value as string, 59_999)).toEqual({ op: 'whisper', agentId: '2005' });
    expect(takeOver?.action_id).toMatch(FLOOR_ACTION_PATTERN.takeOver);
    expect(parseTakeOverValue(takeOver?.value as string, 59_999)).toBe('2005');
    expect(takeOver?.confirm).toMatchObject({ style: 'danger', confirm: { text: 'Take over' } });
    expect(msg.text).toBe('Floor VDN 1: 1 talking');
  });

  it('40 agents: calls first (longest first) with buttons, the others compacted; all shown on one page', () => {
    const floor = buildFloor(entries(40), [], NOW);
    const out = floorBlocks(view(floor));
    const msg = floorMessage(view(floor));
    expectValidMessage(msg.blocks, msg.text);
    expect(out.pages).toBe(1);
    expect(new Set(shownIds(out.blocks)).size).toBe(40);
    expect(allText(out.blocks)).toContain('Showing 1–40 of 40 agents.');
    const firstRow = out.blocks.find((b) => b.type === 'section') as { text: { text: string } };
    expect(firstRow.text.text).toMatch(/^\*2040\* Agent 39 · 📞 talking 4:40 · customer •••• 0039$/); // talking longest
    expect(allText(out.blocks)).toContain('*🟢 idle*: 2039 (4:33), 2033 (3:51), 2029 (3:23)');
  });

  it('500 agents: counts per state, calls first, paged within limits; every agent on exactly one page', () => {
    const floor = buildFloor(entries(500), [], NOW);
    const first = floorBlocks(view(floor));
    expect(first.pages).toBeGreaterThan(1);
    expect(allText(first.blocks)).toContain(
      '*500 agents* · 📞 talking 150 · 🔔 ringing 50 · 🟢 idle 100 · ⛔ busy 50',
    );
    const seen: string[] = [];
    for (let page = 0; page < first.pages; page++) {
      const msg = floorMessage(view(floor, { page }));
      const out = floorBlocks(view(floor, { page }));
      expectValidMessage(msg.blocks, msg.text);
      const [from, to] = out.shown;
      const hidden = 500 - (to - from);
      expect(allText(out.blocks)).toContain(
        `Showing ${from + 1}–${to} of 500 agents (page ${page + 1} of ${first.pages}); ${hidden} not shown`,
      );
      expect(msg.text).toContain(`showing ${from + 1}–${to} of 500`);
      const pageButtons = buttons(out.blocks).filter((b) =>
        FLOOR_ACTION_PATTERN.page.test(b.action_id as string),
      );
      const targets = pageButtons.map((b) => parseFloorPageValue(b.value as string)?.page);
      expect(targets).toEqual([
        ...(page > 0 ? [page - 1] : []),
        ...(page < first.pages - 1 ? [page + 1] : []),
      ]);
      seen.push(...new Set(shownIds(out.blocks)));
    }
    expect(seen).toHaveLength(500);
    expect(new Set(seen).size).toBe(500);
  });

  it('long names and many monitors: the text budget holds on every page', () => {
    const long = Array.from({ length: 200 }, (_, i) => ({
      workNo: String(2001 + i),
      status: 7,
      name: `${'Ñame-with-a-long-tail '.repeat(4)}${i}`,
      callerNumber: '13900001234',
      sinceMs: NOW - i * 1000,
    }));
    const monitors: FloorMonitorRecord[] = long.flatMap((e) =>
      ['U0AAAAAAAA', 'U0BBBBBBBB', 'U0CCCCCCCC', 'U0DDDDDDDD', 'U0EEEEEEEE', 'U0FFFFFFFF'].map((who) => ({
        agentId: e.workNo,
        kind: 'slack-user' as const,
        who,
        mode: 'whisper' as const,
      })),
    );
    const floor = buildFloor(long, monitors, NOW);
    const { pages } = floorBlocks(view(floor));
    let shown = 0;
    for (let page = 0; page < pages; page++) {
      const msg = floorMessage(view(floor, { page, notes: ['x'.repeat(400), 'y'.repeat(400)] }));
      expectValidMessage(msg.blocks, msg.text);
      const out = floorBlocks(view(floor, { page }));
      shown += out.shown[1] - out.shown[0];
    }
    expect(shown).toBe(200);
  });

  it('the largest inputs (6-digit IDs, names that escaping multiplies, long user IDs): valid on every page', () => {
    const worst = Array.from({ length: 500 }, (_, i) => ({
      workNo: String(999_999 - i),
      status: i % 4 === 0 ? 4 : 7,
      name: '&<>'.repeat(100),
      callerNumber: '9'.repeat(40),
      sinceMs: NOW - 86_400_000 * 3,
    }));
    const user = (k: number) => `U${String(k).repeat(30)}`;
    const monitors: FloorMonitorRecord[] = worst.flatMap((e) =>
      [1, 2, 3, 4, 5, 6].map((k) => ({
        agentId: e.workNo,
        kind: 'slack-user' as const,
        who: user(k),
        mode: 'intercept' as const,
      })),
    );
    const floor = buildFloor(worst, monitors, NOW);
    const { pages } = floorBlocks(view(floor, { scope: { kind: 'skill', skillId: '999999999' } }));
    const seen = new Set<string>();
    for (let page = 0; page < pages; page++) {
      const v = view(floor, {
        page,
        paused: true,
        scope: { kind: 'skill', skillId: '999999999' },
        notes: ['&'.repeat(400)],
      });
      const msg = floorMessage(v);
      expectValidMessage(msg.blocks, msg.text);
      const home = checkView({ type: 'home', blocks: floorHomeBlocks(v, 100) }, 'home', () => 'id');
      expect(home.ok ? [] : home.messages).toEqual([]);
      const out = floorBlocks(v);
      for (let k = out.shown[0]; k < out.shown[1]; k++) seen.add(String(k));
    }
    expect(seen.size).toBe(500);
  });

  it('a page past the end shows the last page', () => {
    const floor = buildFloor(entries(500), [], NOW);
    const out = floorBlocks(view(floor, { page: 999 }));
    expect(out.page).toBe(out.pages - 1);
    expect(out.shown[1]).toBe(500);
  });

  it('paused: says so and offers Refresh with the scope and page', () => {
    const floor = buildFloor(entries(3), [], NOW);
    const msg = floorMessage(view(floor, { paused: true, scope: { kind: 'skill', skillId: '2' }, page: 0 }));
    expectValidMessage(msg.blocks, msg.text);
    expect(allText(msg.blocks)).toContain('*Paused*');
    expect(msg.text).toContain('Floor skill 2');
    const refresh = buttons(msg.blocks).find((b) => FLOOR_ACTION_PATTERN.refresh.test(b.action_id as string));
    expect(parseFloorPageValue(refresh?.value as string)).toEqual({
      scope: { kind: 'skill', skillId: '2' },
      page: 0,
    });
  });

  it('escapes every outside string: names, monitors, notes', () => {
    const floor = buildFloor(
      [
        { workNo: '2001', status: 7, name: '<!channel> & <@U999>' },
        { workNo: '2002', status: 4, name: '<https://evil|click>' },
      ],
      [{ agentId: '2001', kind: 'slack-user', who: '<!here>' }],
      NOW,
    );
    const msg = floorMessage(view(floor, { notes: ['<!everyone> skills unknown'] }));
    expectValidMessage(msg.blocks, msg.text);
    const text = allText(msg.blocks);
    for (const bad of ['<!channel>', '<@U999>', '<https://evil', '<!here>', '<!everyone>'])
      expect(text).not.toContain(bad);
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;@U999&gt;');
  });

  it('Home: the same content within the blocks given; a 500-agent floor passes the view validator', () => {
    const floor = buildFloor(entries(500), [], NOW);
    const blocks = floorHomeBlocks(view(floor), 80);
    expect(blocks.length).toBeLessThanOrEqual(80);
    const checked = checkView({ type: 'home', blocks }, 'home', () => 'id');
    expect(checked.ok ? [] : checked.messages).toEqual([]);
    expect(allText(blocks)).toMatch(/not shown: use the page buttons/);
  });

  it('button values that were forged or are malformed are refused', () => {
    expect(parseTakeOverValue('2005:extra', 59_999)).toBeUndefined();
    expect(parseTakeOverValue('../2005', 59_999)).toBeUndefined();
    expect(parseTakeOverValue(undefined, 59_999)).toBeUndefined();
    expect(parseFloorPageValue('all:-1')).toBeUndefined();
    expect(parseFloorPageValue('x;y:1')).toBeUndefined();
    expect(parseFloorPageValue('all:3')).toEqual({ scope: { kind: 'vdn' }, page: 3 });
  });
});

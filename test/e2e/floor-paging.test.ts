import { describe, expect, it } from 'vitest';
import type { StoredMessage, StoredView } from '../../local/slack-api/store';
import { LOCAL_TEAM } from '../../local/stack';
import { DEFAULT_PASSWORD, defaultScenario } from '../../simulator/index';
import { buttonsOf, findButton } from './driver';
import { gatewayRequests, text, until, useLocalStack } from './support';

/**
 * A floor of 500 agents and more: summarized and paged within Block Kit's limits (50 blocks a message,
 * 100 in Home), never cut off silently. Every agent appears on some page; each page says how many are
 * not shown. Pages through the real Next buttons (signed clicks), one gateway read per page.
 */
const base = defaultScenario();
/** 60 more agents on customer calls (each a row with buttons) and 440 idle ones: 522 in VDN 1. */
const onCalls = Array.from({ length: 60 }, (_, i) => ({
  id: String(50001 + i),
  password: DEFAULT_PASSWORD,
  vdn: 1,
  onCall: { caller: `13800${50001 + i}`, called: '10086' },
}));
const env = useLocalStack({
  simulator: {
    pollHoldMs: 100,
    scenario: {
      ...base,
      agents: [...base.agents, ...onCalls],
      extraAgents: { from: 40001, count: 440, vdn: 1 },
    },
  },
});

const DM = 'D_DEMO';
const reads = () => gatewayRequests(env.stack, 'queryAllAgentStatus').length;

/** Every agent ID of the simulator's VDN 1 but the inspector's. */
function vdnAgents(inspector: string): string[] {
  const agents = env.sim.snapshot().agents as Array<{ id: string; vdn: number }>;
  return agents.filter((a) => a.vdn === 1 && a.id !== inspector).map((a) => a.id);
}

/** Agent IDs a page shows (in call rows `*2005*`, in compact groups `2001 (1:02)`). */
function idsOn(blocks: unknown): Set<string> {
  const shown = JSON.stringify(blocks).replace(/\\n/g, ' ');
  return new Set([...shown.matchAll(/(?<![\d:.])(\d{4,5})(?![\d:])/g)].map((m) => m[1] as string));
}

describe('/qc floor with 500 agents and more', () => {
  it('the DM floor is paged: within 50 blocks, says how many are not shown, Next reaches every agent', async () => {
    await env.signIn('U_DEMO', '1001');
    const all = vdnAgents('1001');
    expect(all.length).toBeGreaterThanOrEqual(500);
    const since = env.mark();
    await env.slack.command('/qc floor');
    await env.stack.slack.store.waitFor((s) =>
      s.messages
        .slice(since)
        .find((m) => m.ephemeralTo === 'U_DEMO' && /The floor is in your DM/.test(text(m))),
    );
    const floor = await env.stack.slack.store.waitFor((s) =>
      s.messages.slice(since).find((m) => m.channel === DM && /^Floor your VDN/.test(text(m))),
    );
    const seen = new Set<string>();
    let edits = floor.edits;
    let pages = 0;
    for (let page = 1; ; page++) {
      const m = env.stack.slack.store.message(DM, floor.ts) as StoredMessage;
      const blocks = m.blocks ?? [];
      expect(blocks.length).toBeLessThanOrEqual(50);
      const line = JSON.stringify(blocks).match(
        /Showing (\d+)–(\d+) of (\d+) agents \(page (\d+) of (\d+)\); (\d+) not shown/,
      );
      if (!line) throw new Error(`page ${page} does not say what it shows`);
      const [, from, to, total, at, of, hidden] = line.map(Number);
      expect(total).toBe(all.length);
      expect(at).toBe(page);
      expect(hidden).toBe(all.length - ((to as number) - (from as number) + 1));
      expect(text(m)).toContain(`page ${page} of ${of}`);
      for (const id of idsOn(blocks)) seen.add(id);
      pages = of as number;
      if (page === pages) break;
      const before = reads();
      await env.slack.clickButton('U_DEMO', m, `all:${page}`);
      await until(
        `page ${page + 1} drawn`,
        () => {
          const now = env.stack.slack.store.message(DM, floor.ts);
          return now && now.edits > edits ? now : undefined;
        },
        { timeoutMs: 10_000 },
      );
      edits = (env.stack.slack.store.message(DM, floor.ts) as StoredMessage).edits;
      expect(reads() - before).toBeGreaterThanOrEqual(1); // exactly one per job: test/qc/floor-job.test.ts (the keeper may read too)
    }
    expect(pages).toBeGreaterThan(1);
    expect(all.filter((id) => !seen.has(id))).toEqual([]);
    // The page is saved once the message is redrawn.
    await until('the last page saved', async () => {
      const rec = await env.stack.store.floors.getFloor(LOCAL_TEAM, `${DM}:${floor.ts}`);
      return rec?.page === pages - 1;
    });
    // ◀ Previous goes back.
    const last = env.stack.slack.store.message(DM, floor.ts) as StoredMessage;
    expect(buttonsOf(last.blocks).map((b) => b.text?.text)).toContain('◀ Previous');
  });

  it('Home: the floor section fits with the rest of Home (≤ 100 blocks), paged; Next on Home redraws the tab', async () => {
    const drawn = env.stack.slack.store.homeViews.get('U_DEMO')?.updates ?? -1;
    await env.slack.openHome('U_DEMO');
    const home = await env.stack.slack.store.waitFor((s): StoredView | undefined => {
      const v = s.homeViews.get('U_DEMO');
      return v && v.updates > drawn ? v : undefined;
    });
    const blocks = home.view.blocks as unknown[];
    expect(blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(blocks)).toMatch(/Showing 1–\d+ of \d+ agents \(page 1 of \d+\)/);
    findButton(blocks, 'all:1');
    const before = reads();
    await env.slack.clickHomeButton('U_DEMO', 'all:1');
    const next = await env.stack.slack.store.waitFor((s): StoredView | undefined => {
      const v = s.homeViews.get('U_DEMO');
      return v && v.updates > home.updates && /\(page 2 of/.test(JSON.stringify(v.view.blocks))
        ? v
        : undefined;
    });
    expect((next.view.blocks as unknown[]).length).toBeLessThanOrEqual(100);
    expect(reads() - before).toBeGreaterThanOrEqual(1); // exactly one per job: test/qc/floor-job.test.ts (the keeper may read too)
    const rec = await env.stack.store.floors.getFloor(LOCAL_TEAM, 'home:U_DEMO');
    expect(rec?.page).toBe(1);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultScenario,
  loadScenarioFile,
  type Scenario,
  ScenarioError,
  Simulator,
  validateScenario,
} from '../../simulator/index';
import { type Harness, harness } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('default scenario', () => {
  it('has the documented IDs and states', () => {
    const sim = new Simulator();
    const s = sim.snapshot();
    const ids = s.agents.map((a) => a.id);
    expect(ids.slice(0, 3)).toEqual(['1001', '1002', '1003']);
    expect(ids).toContain('2020');
    expect(ids).toContain('3001');
    expect(sim.agent('1001')).toMatchObject({ qc: true, inspector: true, signedIn: false, vdn: 1 });
    expect(sim.agent('1002')).toMatchObject({ qc: false, signedIn: false });
    expect(sim.agent('1003')).toMatchObject({ qc: true, signedIn: false });
    expect(sim.agent('2001')).toMatchObject({ signedIn: true, state: 4, vdn: 1 });
    expect(sim.agent('2005')?.state).toBe(7);
    expect(sim.agent('2006')?.state).toBe(7);
    expect(sim.agent('3001')).toMatchObject({ vdn: 2, state: 7 });
    expect(s.calls).toHaveLength(3);
    expect(defaultScenario().agents.every((a) => a.password === 'simulator')).toBe(true);
    expect(defaultScenario().agents.find((a) => a.id === '1001')?.phone).toBe('70001');
  });
});

describe('scenario validation', () => {
  const base = (): Scenario => ({ vdns: [1], agents: [{ id: '1', password: 'p', vdn: 1 }] });
  it.each([
    [{ vdns: [], agents: [] }, /scenario\.vdns/],
    [{ vdns: [1], agents: {} }, /scenario\.agents: expected an array/],
    [{ vdns: [1], agents: [{ id: 'x1', password: 'p', vdn: 1 }] }, /scenario\.agents\[0\]\.id/],
    [{ vdns: [1], agents: [{ id: '1', password: '', vdn: 1 }] }, /scenario\.agents\[0\]\.password/],
    [
      { vdns: [1], agents: [{ id: '1', password: 'p', vdn: 2 }] },
      /scenario\.agents\[0\]\.vdn: 2 is not listed/,
    ],
    [
      {
        vdns: [1],
        agents: [
          { id: '1', password: 'p', vdn: 1 },
          { id: 1, password: 'p', vdn: 1 },
        ],
      },
      /scenario\.agents\[1\]\.id: duplicate/,
    ],
    [{ vdns: [1], agents: [{ id: '1', password: 'p', vdn: 1, qc: 'yes' }] }, /scenario\.agents\[0\]\.qc/],
    [
      { vdns: [1], agents: [{ id: '1', password: 'p', vdn: 1, inspector: true, onCall: {} }] },
      /scenario\.agents\[0\]\.onCall: an agent on a call must be signed in/,
    ],
    [
      { vdns: [1], agents: [], extraInspectors: { from: 5, count: 2, vdn: 9 } },
      /scenario\.extraInspectors\.vdn/,
    ],
    [{ vdns: [1], agents: [], extraAgents: { from: 5, count: 2, vdn: 9 } }, /scenario\.extraAgents\.vdn/],
    [{ vdns: [1], agents: [], extraAgents: { from: 0, count: 2, vdn: 1 } }, /scenario\.extraAgents\.from/],
    [
      { vdns: [1], agents: [], extraAgents: { from: 5, count: 2, vdn: 1, onCall: 'yes' } },
      /scenario\.extraAgents\.onCall/,
    ],
  ])('rejects %j', (input, msg) => {
    expect(() => validateScenario(input)).toThrow(ScenarioError);
    expect(() => validateScenario(input)).toThrow(msg);
  });

  it('rejects generated IDs that collide, and bad scenarios at construction', () => {
    const s: Scenario = { ...base(), extraInspectors: { from: 1, count: 1, vdn: 1 } };
    expect(() => new Simulator({ scenario: s })).toThrow(/collides/);
    const both: Scenario = {
      ...base(),
      extraInspectors: { from: 10, count: 5, vdn: 1 },
      extraAgents: { from: 14, count: 5, vdn: 1 },
    };
    expect(() => new Simulator({ scenario: both })).toThrow(
      /scenario\.extraAgents: generated ID 14 collides/,
    );
  });

  it('accepts numbers for IDs', () => {
    const s = validateScenario({ vdns: [1], agents: [{ id: 42, password: 'p', vdn: 1, phone: 70042 }] });
    expect(s.agents[0]).toMatchObject({ id: '42', phone: '70042' });
  });
});

describe('scenario files and extra inspectors', () => {
  it('loads a JSON file and names the file in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-scenario-'));
    try {
      const good = join(dir, 'good.json');
      await writeFile(
        good,
        JSON.stringify({
          vdns: [7],
          agents: [
            { id: 501, password: 'pw', vdn: 7, qc: true, inspector: true },
            { id: 601, password: 'pw', vdn: 7, onCall: { caller: '123' } },
          ],
        }),
      );
      const s = await loadScenarioFile(good);
      h = await harness({ scenario: s });
      const g = await h.client.signIn('501', { password: 'pw' });
      expect(
        (await h.client.gw('PUT', '/qualitycontrol/501/addsupervise/601', { guid: g })).json.retcode,
      ).toBe('0');
      const bad = join(dir, 'bad.json');
      await writeFile(bad, '{"vdns":[1],"agents":[{"id":"1","vdn":1}]}');
      await expect(loadScenarioFile(bad)).rejects.toThrow(`${bad}: scenario.agents[0].password`);
      await writeFile(bad, '{nope');
      await expect(loadScenarioFile(bad)).rejects.toThrow(/is not valid JSON/);
      await expect(loadScenarioFile(join(dir, 'missing.json'))).rejects.toThrow(/cannot read scenario file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('generates many inspectors with QC permission; 1,000 can sign in', async () => {
    h = await harness({
      scenario: { ...defaultScenario(), extraInspectors: { from: 50_001, count: 1_000, vdn: 1 } },
    });
    const snap = h.run.sim.snapshot();
    expect(snap.agents).toHaveLength(24 + 1_000);
    expect(h.run.sim.agent('51000')).toMatchObject({ qc: true, inspector: true, signedIn: false, vdn: 1 });
    const ids = Array.from({ length: 1_000 }, (_, i) => String(50_001 + i));
    const guids = await Promise.all(ids.map((id) => h?.client.signIn(id) as Promise<string>));
    expect(new Set(guids).size).toBe(1_000);
    expect(h.run.sim.snapshot().agents.filter((a) => a.signedIn && a.inspector)).toHaveLength(1_000);
    const r = await h.client.gw('PUT', '/qualitycontrol/50999/addsupervise/2005', { guid: guids[998] });
    expect(r.json.retcode).toBe('0');
  });

  it('generates many agents, signed in and on calls; each inspector can listen to and intercept its own', async () => {
    h = await harness({
      scenario: {
        ...defaultScenario(),
        extraInspectors: { from: 50_001, count: 200, vdn: 1 },
        extraAgents: { from: 40_001, count: 200, vdn: 1, onCall: true },
      },
    });
    const sim = h.run.sim;
    expect(sim.snapshot().agents).toHaveLength(24 + 400);
    expect(sim.snapshot().calls).toHaveLength(3 + 200);
    expect(sim.agent('40200')).toMatchObject({
      qc: false,
      inspector: false,
      signedIn: true,
      state: 7,
      vdn: 1,
    });
    const idle = new Simulator({
      scenario: { vdns: [1], agents: [], extraAgents: { from: 7, count: 2, vdn: 1 } },
    });
    expect(idle.agent('8')).toMatchObject({ signedIn: true, state: 4 });
    expect(idle.snapshot().calls).toHaveLength(0);
    const pairs = Array.from({ length: 200 }, (_, i) => [String(50_001 + i), String(40_001 + i)] as const);
    const retcodes = await Promise.all(
      pairs.map(async ([inspector, agent]) => {
        const guid = await h?.client.signIn(inspector);
        const listen = await h?.client.gw('PUT', `/qualitycontrol/${inspector}/addsupervise/${agent}`, {
          guid,
        });
        const intercept = await h?.client.gw('PUT', `/qualitycontrol/${inspector}/intercept/${agent}`, {
          guid,
        });
        return `${listen?.json.retcode}/${intercept?.json.retcode}`;
      }),
    );
    expect(new Set(retcodes)).toEqual(new Set(['0/0']));
    expect(sim.snapshot().calls.filter((c) => c.intercepted)).toHaveLength(200);
  });
});

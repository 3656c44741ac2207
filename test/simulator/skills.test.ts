/**
 * Skill queues (issue 15 item 6): the default scenario puts 2001–2010 in skill 1 and 2011–2020 in skill 2;
 * the gateway's per-skill queries answer per skill.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScenario, type Scenario, Simulator, validateScenario } from '../../simulator/index';
import { type Harness, harness, type TestClient } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('skills in the default scenario', () => {
  it('2001–2010 skill 1 "Sales", 2011–2020 skill 2 "Support", 3001 skill 3 "Billing" (VDN 2)', () => {
    const s = defaultScenario();
    expect(s.skills).toEqual([
      { id: 1, name: 'Sales', vdn: 1 },
      { id: 2, name: 'Support', vdn: 1 },
      { id: 3, name: 'Billing', vdn: 2 },
    ]);
    const sim = new Simulator();
    for (const id of range(2001, 2010)) expect(sim.agent(id)?.skills).toEqual([1]);
    for (const id of range(2011, 2020)) expect(sim.agent(id)?.skills).toEqual([2]);
    expect(sim.agent('3001')?.skills).toEqual([3]);
    expect(sim.agent('1001')?.skills).toEqual([]);
    expect(sim.snapshot().skills).toEqual(s.skills);
  });
});

describe('per-skill gateway queries', () => {
  /** A harness with 1001 signed in: its client and 1001's Guid. */
  async function signedIn(): Promise<{ c: TestClient; g: string }> {
    h = await harness();
    return { c: h.client, g: await h.client.signIn('1001') };
  }

  it('agentbyskill/{skillid}: the signed-in agents of that skill in the caller VDN, shaped like allagentstatus', async () => {
    const { c, g } = await signedIn();
    const r = await c.gw('GET', '/agentgroup/1001/agentbyskill/2', { guid: g });
    expect(r.json.retcode).toBe('0');
    const list = r.json.result as Record<string, string>[];
    expect(list.map((x) => x.workno)).toEqual(range(2011, 2020));
    expect(list[0]).toEqual({
      workno: '2011',
      name: '2011',
      status: '4',
      ctiStatus: '1',
      groupName: 'default',
    });
    const one = await c.gw('GET', '/agentgroup/1001/agentbyskill/1', { guid: g });
    expect(
      (one.json.result as { workno: string; status: string }[]).find((x) => x.workno === '2005')?.status,
    ).toBe('7');
    // Skill 3 is VDN 2's: not listed for a VDN 1 caller.
    expect((await c.gw('GET', '/agentgroup/1001/agentbyskill/3', { guid: g })).json.result).toEqual([]);
    expect((await c.gw('GET', '/agentgroup/1001/agentbyskill/99', { guid: g })).json.result).toEqual([]);
    expect((await c.gw('GET', '/agentgroup/1001/agentbyskill/x1', { guid: g })).json.retcode).toBe('100-019');
    expect((await c.gw('GET', '/agentgroup/1001/agentbyskill/1')).json.retcode).toBe('100-006');
  });

  it('agentbyconfigedskill lists signed-out agents too; agentbyskill does not', async () => {
    const scenario: Scenario = {
      vdns: [1],
      skills: [{ id: 7, name: 'VIP', vdn: 1 }],
      agents: [
        { id: '1001', password: 'simulator', vdn: 1, qc: true, inspector: true },
        { id: '2001', password: 'simulator', vdn: 1, skills: [7] },
        { id: '2002', password: 'simulator', vdn: 1, skills: [7], signedIn: false },
        { id: '2003', password: 'simulator', vdn: 1 },
      ],
    };
    h = await harness({ scenario });
    const g = await h.client.signIn('1001');
    const by = await h.client.gw('GET', '/agentgroup/1001/agentbyskill/7', { guid: g });
    expect((by.json.result as { workno: string }[]).map((x) => x.workno)).toEqual(['2001']);
    const conf = await h.client.gw('GET', '/agentgroup/1001/agentbyconfigedskill/7', { guid: g });
    expect(
      (conf.json.result as { workno: string; status: string }[]).map((x) => [x.workno, x.status]),
    ).toEqual([
      ['2001', '4'],
      ['2002', '2'],
    ]);
  });

  it('agentskillsbyworkno/{w} and agentskills: [{name, id, mediatype}]', async () => {
    const { c, g } = await signedIn();
    const r = await c.gw('GET', '/onlineagent/1001/agentskillsbyworkno/2011', { guid: g });
    expect(r.json).toEqual({
      message: '',
      retcode: '0',
      result: [{ name: 'Support', id: 2, mediatype: 5 }],
    });
    expect(
      (await c.gw('GET', '/onlineagent/1001/agentskillsbyworkno/3001', { guid: g })).json.result,
    ).toEqual([]);
    expect((await c.gw('GET', '/onlineagent/1001/agentskillsbyworkno/ab', { guid: g })).json.retcode).toBe(
      '000-002',
    );
    expect((await c.gw('GET', '/onlineagent/1001/agentskills', { guid: g })).json.result).toEqual([]);
    expect(h?.run.sim.requestLog.map((e) => e.logName)).toEqual(
      expect.arrayContaining(['queryAgentSkillsByWorkNo', 'queryAgentSkills']),
    );
  });
});

describe('scenario skills validation', () => {
  const base = (): Record<string, unknown> => ({
    vdns: [1, 2],
    skills: [
      { id: 1, name: 'A', vdn: 1 },
      { id: 2, name: 'B', vdn: 2 },
    ],
    agents: [{ id: '1', password: 'p', vdn: 1, skills: [1] }],
  });
  it.each([
    [{ skills: {} }, /scenario\.skills: expected an array/],
    [{ skills: [{ id: 1, name: '', vdn: 1 }] }, /scenario\.skills\[0\]\.name/],
    [{ skills: [{ id: 1, name: 'A', vdn: 9 }] }, /scenario\.skills\[0\]\.vdn: 9 is not listed/],
    [
      {
        skills: [
          { id: 1, name: 'A', vdn: 1 },
          { id: 1, name: 'B', vdn: 1 },
        ],
      },
      /scenario\.skills\[1\]\.id: duplicate skill ID 1/,
    ],
    [
      { agents: [{ id: '1', password: 'p', vdn: 1, skills: [5] }] },
      /agents\[0\]\.skills\[0\]: skill 5 is not listed/,
    ],
    [{ agents: [{ id: '1', password: 'p', vdn: 1, skills: [2] }] }, /skill 2 belongs to VDN 2, not 1/],
    [
      { extraAgents: { from: 10, count: 2, vdn: 1, skills: [2] } },
      /extraAgents\.skills\[0\]: skill 2 belongs/,
    ],
  ])('rejects %j', (patch, msg) => {
    expect(() => validateScenario({ ...base(), ...patch })).toThrow(msg);
  });

  it('extraAgents get the listed skills', () => {
    const sim = new Simulator({
      scenario: validateScenario({ ...base(), extraAgents: { from: 10, count: 3, vdn: 1, skills: [1] } }),
    });
    expect(sim.agent('12')?.skills).toEqual([1]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseQcCommand } from '../../src/slack/parse';

/** `/qc link @user <inspector> <phone>[,<phone>…]`: the admin-set phone first, then the others allowed. */
describe('/qc link phones', () => {
  const parse = (text: string) => parseQcCommand(text, 59_999);

  it('one phone: the admin-set one; several: the first, and the others allowed', () => {
    expect(parse('link <@U_ONE|a> 1001 70001')).toEqual({
      kind: 'link',
      userId: 'U_ONE',
      inspectorId: '1001',
      phone: '70001',
    });
    expect(parse('link <@U_ONE|a> 1001 70001,70009,70001,')).toEqual({
      kind: 'link',
      userId: 'U_ONE',
      inspectorId: '1001',
      phone: '70001',
      allowedPhones: ['70009'],
    });
    expect(parse('link <@U_ONE|a> 1001')).toEqual({ kind: 'link', userId: 'U_ONE', inspectorId: '1001' });
  });

  it('anything else is a usage answer', () => {
    expect(parse('link <@U_ONE|a> 1001 70001,abc')).toMatchObject({ kind: 'usage', problem: /digits/ });
    expect(parse('link <@U_ONE|a> 1001 70001, 70009')).toMatchObject({
      kind: 'usage',
      problem: /commas, no spaces/,
    });
    const eleven = Array.from({ length: 11 }, (_, i) => String(70001 + i)).join(',');
    expect(parse(`link <@U_ONE|a> 1001 ${eleven}`)).toMatchObject({ kind: 'usage', problem: /at most 10/ });
  });
});

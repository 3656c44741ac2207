import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQcCommand } from '../../src/slack/parse';

const MAX = 99_999;

describe('/qc floor [all|<skill-id>] [share]', () => {
  it.each([
    ['floor', { kind: 'vdn' }, false],
    ['floor all', { kind: 'vdn' }, false],
    ['FLOOR ALL', { kind: 'vdn' }, false],
    ['floor share', { kind: 'vdn' }, false || true],
    ['floor 1', { kind: 'skill', skillId: '1' }, false],
    ['floor 0001 share', { kind: 'skill', skillId: '1' }, true],
    ['floor share 2', { kind: 'skill', skillId: '2' }, true],
  ])('`/qc %s` → a floor job', (text, scope, share) => {
    expect(parseQcCommand(text, MAX)).toEqual({ kind: 'floor', scope, share });
  });

  it.each([
    ['floor abc', /`abc` is not a skill ID/],
    ['floor 1 2', /`2` is said twice/],
    ['floor all 3', /`3` is said twice/],
    ['floor share share', /`share` is said twice/],
    ['floor 1234567890', /`1234567890` is not a skill ID/],
    ['floor <@U1>', /is not a skill ID/],
  ])('`/qc %s` → a usage answer naming the problem, no job', (text, problem) => {
    const parsed = parseQcCommand(text, MAX);
    expect(parsed.kind).toBe('usage');
    if (parsed.kind !== 'usage') return;
    expect(parsed.problem).toMatch(problem);
    expect(parsed.usage).toBe('/qc floor [all|<skill-id>] [share]');
  });

  it('any text after `floor` → a floor job or a usage answer, never a throw', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom('all', 'share', '1', '007', 'ALL', 'Share')), {
          maxLength: 5,
        }),
        (words) => {
          const parsed = parseQcCommand(`floor ${words.join(' ')}`, MAX);
          expect(['floor', 'usage']).toContain(parsed.kind);
          if (parsed.kind === 'floor' && parsed.scope.kind === 'skill')
            expect(parsed.scope.skillId).toMatch(/^[0-9]{1,9}$/);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/**
 * Issue 13, "What the supervisor reads": words and buttons a supervisor sees in the first hour.
 */
import { describe, expect, it } from 'vitest';
import { parseInterceptCommand, parseQcCommand } from '../../src/slack/parse';

describe('agent IDs out of range (item 13)', () => {
  it('an ID of digits that is too large is out of range, not "not digits"', () => {
    const parsed = parseInterceptCommand('99999999', 59_999);
    expect(parsed).toMatchObject({ kind: 'usage' });
    const problem = (parsed as { problem: string }).problem;
    expect(problem).toMatch(/`99999999` is out of range: agent IDs run from 101 to 59999/);
    expect(problem).not.toMatch(/digits only/);
    expect((parseQcCommand('listen 1234567890123', 999_999) as { problem: string }).problem).toMatch(
      /out of range: agent IDs run from 101 to 999999/,
    );
    expect((parseQcCommand('who 100', 59_999) as { problem: string }).problem).toMatch(/out of range/);
  });

  it('letters are still "not an agent ID"', () => {
    expect((parseInterceptCommand('20a5', 59_999) as { problem: string }).problem).toMatch(
      /is not an agent ID: an agent ID is digits only/,
    );
  });
});

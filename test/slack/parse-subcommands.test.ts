import { describe, expect, it } from 'vitest';
import { parseQcCommand } from '../../src/slack/parse';

/**
 * `/qc <word>` finds its parser by the word (a table since issue 14): each alias reaches its command,
 * and a word that only an object's prototype knows (`constructor`, `__proto__`) is no command.
 */
describe('parseQcCommand subcommands', () => {
  it.each([
    ['signin', 'signin'],
    ['Sign-In', 'signin'],
    ['login', 'signin'],
    ['signout', 'signout'],
    ['sign-out', 'signout'],
    ['LOGOUT', 'signout'],
    ['status', 'status'],
    ['who', 'who'],
    ['audit', 'audit'],
    ['', 'help'],
    ['help', 'help'],
  ])('`/qc %s` → %s', (text, kind) => {
    expect(parseQcCommand(text, 99_999).kind).toBe(kind);
  });

  it('release and release-call both ask to confirm a call release', () => {
    for (const sub of ['release', 'release-call'])
      expect(parseQcCommand(`${sub} 1732500000-2005`, 99_999)).toEqual({
        kind: 'confirm',
        op: 'release-call',
        target: '1732500000-2005',
      });
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    '`/qc %s` is not a /qc command',
    (word) => {
      expect(parseQcCommand(`${word} 2005`, 99_999)).toEqual({
        kind: 'usage',
        problem: `\`${word.toLowerCase().slice(0, 20)}\` is not a /qc command`,
        usage: '/qc help',
        example: '/qc listen 2005',
      });
    },
  );

  it('a fixed answer is a fresh object each time', () => {
    const first = parseQcCommand('status', 99_999);
    (first as { extra?: boolean }).extra = true;
    expect(parseQcCommand('status', 99_999)).toEqual({ kind: 'status' });
  });
});

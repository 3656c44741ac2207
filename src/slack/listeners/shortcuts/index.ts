import type { App, GlobalShortcut } from '@slack/bolt';
import type { AckDeps } from '../../deps';
import { SIGNIN_SHORTCUT, signInShortcut } from './sign-in';

export { SIGNIN_SHORTCUT } from './sign-in';

/** Global shortcuts (slack-manifest.yml). */
export function registerShortcuts(app: App, deps: AckDeps): void {
  app.shortcut<GlobalShortcut>(SIGNIN_SHORTCUT, signInShortcut(deps));
}

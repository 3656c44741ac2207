import type { AckDeps } from '../../deps';
import { enqueue } from '../enqueue';
import { type ClickHandler, clickId, contextOf } from './click';

/** "Sign out" on the App Home tab: the worker signs the inspector out. */
export const signOutClick =
  (deps: AckDeps): ClickHandler =>
  async ({ body, action }) => {
    await enqueue(deps, contextOf(body), clickId(body, action), { kind: 'signout' });
  };

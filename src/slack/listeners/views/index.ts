import type { App, ViewSubmitAction } from '@slack/bolt';
import { SIGNIN_CALLBACK } from '../../blocks/signin-modal';
import type { AckDeps } from '../../deps';
import { signInSubmission } from './sign-in';

/** Modal submissions. */
export function registerViews(app: App, deps: AckDeps): void {
  app.view<ViewSubmitAction>(SIGNIN_CALLBACK, signInSubmission(deps));
}

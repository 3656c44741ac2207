import type { App } from '@slack/bolt';
import { FLOOR_ACTION_PATTERN } from '../../blocks/floor';
import { ACTION_PATTERN } from '../../blocks/kit';
import type { AckDeps } from '../../deps';
import { alertOpClick } from './alert-op';
import { cancelClick } from './cancel';
import type { Click } from './click';
import { confirmOpClick } from './confirm-op';
import { floorPageClick } from './floor-page';
import { floorRefreshClick } from './floor-refresh';
import { guarded } from './guarded';
import { openSignInClick } from './open-sign-in';
import { qcOpClick } from './qc-op';
import { signOutClick } from './sign-out';
import { takeOverClick } from './takeover';

/** Buttons: QC operations, alert buttons, confirmations, sign-in and sign-out, floor pages and Refresh, Take over. */
export function registerActions(app: App, deps: AckDeps): void {
  app.action<Click>(ACTION_PATTERN.qcOp, guarded(deps, 'qc_op', qcOpClick(deps)));
  app.action<Click>(ACTION_PATTERN.alertOp, guarded(deps, 'qc_alert', alertOpClick(deps)));
  app.action<Click>(ACTION_PATTERN.confirmOp, guarded(deps, 'qc_confirm', confirmOpClick(deps)));
  app.action<Click>(ACTION_PATTERN.cancel, guarded(deps, 'qc_cancel', cancelClick));
  app.action<Click>(ACTION_PATTERN.signOut, guarded(deps, 'qc_signout', signOutClick(deps)));
  app.action<Click>(ACTION_PATTERN.openSignIn, guarded(deps, 'qc_open_signin', openSignInClick(deps)));
  app.action<Click>(FLOOR_ACTION_PATTERN.page, guarded(deps, 'qc_floor_page', floorPageClick(deps)));
  app.action<Click>(FLOOR_ACTION_PATTERN.refresh, guarded(deps, 'qc_floor_refresh', floorRefreshClick(deps)));
  app.action<Click>(FLOOR_ACTION_PATTERN.takeOver, guarded(deps, 'qc_takeover', takeOverClick(deps)));
}

import type { AckDeps } from '../../deps';
import type { ClickHandler } from './click';
import { floorViewClick } from './floor-page';

/** 🔄 Refresh on a paused floor: read again, redraw, and live for another 30 minutes. */
export const floorRefreshClick = (deps: AckDeps): ClickHandler => floorViewClick(deps, true);

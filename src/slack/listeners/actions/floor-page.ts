import { parseFloorPageValue } from '../../blocks/floor';
import type { AckDeps } from '../../deps';
import { enqueue } from '../enqueue';
import { type Click, type ClickHandler, clickId, contextOf, say } from './click';

/**
 * Which floor a page or Refresh button belongs to: the clicked message (`channel:ts`), or the clicker's
 * own Home tab (`home:<user>`). Undefined when the click names neither.
 */
export function floorIdOf(body: Click): string | undefined {
  if (body.view?.type === 'home') return `home:${body.user.id}`;
  const channel = body.channel?.id ?? body.container?.channel_id;
  const ts = body.message?.ts ?? body.container?.message_ts;
  return channel && ts ? `${channel}:${ts}` : undefined;
}

/** A page (or, with `refresh`, Refresh) button: the worker redraws that floor at that page. */
export const floorViewClick =
  (deps: AckDeps, refresh: boolean): ClickHandler =>
  async ({ body, action, respond }) => {
    const parsed = parseFloorPageValue(action.value);
    const floorId = floorIdOf(body);
    if (!parsed || !floorId) return say(respond, 'That button is not valid any more.');
    await enqueue(deps, contextOf(body), clickId(body, action), {
      kind: 'floor-view',
      floorId,
      page: parsed.page,
      ...(refresh ? { refresh: true as const } : {}),
    });
  };

/** ◀ Previous / Next ▶ on a floor. */
export const floorPageClick = (deps: AckDeps): ClickHandler => floorViewClick(deps, false);

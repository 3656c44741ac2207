import type { ClickHandler } from './click';

/** "Cancel" on a confirmation: the confirmation goes away. */
export const cancelClick: ClickHandler = async ({ respond }) => {
  await respond({ delete_original: true });
};

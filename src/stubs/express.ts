/** Stub for `express` in the Slack Lambda bundle (Bolt's ExpressReceiver only). */
import { notAvailable } from './not-available';

export function Router(): never {
  return notAvailable('express.Router');
}

export default function express(): never {
  return notAvailable('express');
}

/** Stub for `raw-body` in the Slack Lambda bundle (Bolt's Express/HTTP receivers read Node streams with it). */
import { notAvailable } from './not-available';

export default function getRawBody(): never {
  return notAvailable('raw-body');
}

/** Stub for `path-to-regexp` in the Slack Lambda bundle (custom routes of Bolt's HTTP/Socket Mode receivers). */
import { notAvailable } from './not-available';

export function match(): never {
  return notAvailable('path-to-regexp match');
}

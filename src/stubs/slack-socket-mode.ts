/** Stub for `@slack/socket-mode` in the Slack Lambda bundle (Bolt's SocketModeReceiver only). */
import { unavailableClass } from './not-available';

export const SocketModeClient = unavailableClass('@slack/socket-mode SocketModeClient');

import type { Simulator } from '../../simulator/index';
import type { FakeSlack } from '../slack-api/index';

/** A person the page can act as (the user switcher). */
export interface ConsoleUser {
  id: string;
  name: string;
  realName: string;
  role: 'inspector' | 'admin' | 'unlinked';
  inspectorId?: string;
  phone?: string;
  /** The app's DM with this user (where Home-click answers, session-ended notices and exports go). */
  dm: string;
}

/** What the bridge works with: the stack's URL (it sends itself signed requests), the fake Slack, the simulator. */
export interface ConsoleContext {
  /** The stack's own base URL, e.g. 'http://127.0.0.1:3000'. */
  url: string;
  slack: FakeSlack;
  /** Absent when a real gateway (CCGW_BASE_URL) is used: the call-centre panel is then empty. */
  sim?: Simulator;
  signingSecret: string;
  alertsSecret: string;
  teamId: string;
  users: ConsoleUser[];
  channels: { id: string; name: string }[];
}

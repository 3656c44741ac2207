/** Stub for `@slack/oauth` in the Slack Lambda bundle (Bolt's OAuth install flow; AwsLambdaReceiver has none). */
import { unavailableClass } from './not-available';

export const InstallProvider = unavailableClass('@slack/oauth InstallProvider');
export const FileInstallationStore = unavailableClass('@slack/oauth FileInstallationStore');
export const MemoryInstallationStore = unavailableClass('@slack/oauth MemoryInstallationStore');

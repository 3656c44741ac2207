import type { Logger } from '../logger';
import type { SignInOutcome, SignInRequest } from '../qc/signin';
import type { JobQueue } from '../queue/types';
import type { LinkReader } from '../store/link-reader';

/** What the Slack function's listeners need: one read, one enqueue, and a lazily loaded sign-in. */
export interface AckDeps {
  links: LinkReader;
  queue: JobQueue;
  maxAgentId: number;
  adminUserIds: ReadonlySet<string>;
  logger: Logger;
  now: () => number;
  /** Loaded on first use only (gateway client + full store): sign-in is rare, acks are not. */
  signIn: (req: SignInRequest) => Promise<SignInOutcome>;
}

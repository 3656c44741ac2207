import { ErrorCode, type Logger, WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type FakeSlackOptions, type StartedFakeSlack, startFakeSlack } from '../../local/slack-api/index';

/** WebClient logs Slack's error messages and warnings; the tests check them instead. */
export const quietWebLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => 'error' as never,
  setName: () => {},
};

/** A workspace with a demo user, an admin, a channel with the bot in it and one without. */
export const TWO_CHANNEL_WORKSPACE = {
  users: [
    { id: 'U_DEMO', name: 'demo', realName: 'Demo Supervisor' },
    { id: 'U_ADMIN', name: 'admin', isAdmin: true },
  ],
  channels: [
    { id: 'C_QC', name: 'qc' },
    { id: 'C_OUT', name: 'outside', botIsMember: false },
  ],
} satisfies Pick<FakeSlackOptions, 'users' | 'channels'>;

export interface FakeSlackFixture {
  /** The fake Slack Web API; there once the file's first `beforeAll` has run. */
  readonly fake: StartedFakeSlack;
  /** A WebClient for the bot token against the fake (no retries, quiet). */
  readonly client: WebClient;
}

/**
 * Starts the fake Slack Web API before the file's tests (`beforeAll`), empties its store after each test
 * and closes it after them.
 */
export function useFakeSlack(options: FakeSlackOptions): FakeSlackFixture {
  let started: { fake: StartedFakeSlack; client: WebClient } | undefined;
  const get = () => {
    if (!started) throw new Error('the fake Slack is not started (useFakeSlack runs in beforeAll)');
    return started;
  };
  beforeAll(async () => {
    const fake = await startFakeSlack(options);
    const client = new WebClient(options.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietWebLogger,
    });
    started = { fake, client };
  });
  afterAll(async () => {
    await started?.fake.close();
  });
  afterEach(() => {
    get().fake.store.reset();
  });
  return {
    get fake() {
      return get().fake;
    },
    get client() {
      return get().client;
    },
  };
}

/** The error code of a failed Web API call (WebClient throws WebAPIPlatformError). */
export async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string } };
    if (e.code === ErrorCode.PlatformError) return e.data?.error ?? 'no error field';
    throw err;
  }
  throw new Error('expected the call to fail');
}

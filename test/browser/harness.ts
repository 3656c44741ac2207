import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterEach, describe, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { captureLogger } from '../helpers/log-capture';

/**
 * The browser console in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download), against a whole local stack (startLocalStack) on a random port. Each test file opens
 * its own stack and browser, so scenarios never share state.
 *
 * Without Chromium (a developer machine) the tests are skipped with a message naming the apt
 * command; in CI (CI=true) or with QC_REQUIRE_BROWSER=1 a missing Chromium fails them instead.
 */

/** $CHROMIUM_PATH, else `chromium` on the PATH, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ||
  (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'chromium'))
    .find((file) => isAbsoluteFile(file)) ||
  '/usr/bin/chromium';
function isAbsoluteFile(file: string): boolean {
  return file.startsWith('/') && existsSync(file);
}
const truthy = (v: string | undefined) => v === '1' || v?.toLowerCase() === 'true';
export const BROWSER_REQUIRED = truthy(process.env.CI) || truthy(process.env.QC_REQUIRE_BROWSER);
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH);
const INSTALL_HINT = `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (as root; or point CHROMIUM_PATH at a Chromium binary)`;

/** Screenshots go to docs/ only when QC_SCREENSHOTS=1, so `npm test` leaves the tree clean. */
export const SCREENSHOTS = truthy(process.env.QC_SCREENSHOTS);
const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');

/** Generous per-test budget: a stack, a browser and a few gateway round trips. */
export const BROWSER_TEST_TIMEOUT = 60_000;
/** How long one auto-waiting locator step may take before the test fails with its selector. */
const STEP_TIMEOUT = 10_000;

/**
 * `describe` for browser tests: runs them when Chromium is installed; otherwise skips them with the
 * install hint, or, when a browser is required (CI), fails with it.
 */
export function describeBrowser(name: string, fn: () => void): void {
  if (HAVE_CHROMIUM) {
    describe(name, { timeout: BROWSER_TEST_TIMEOUT }, () => {
      afterEach(async (ctx) => {
        if (ctx.task.result?.state === 'fail') await dumpFailure(ctx.task.name);
      });
      fn();
    });
    return;
  }
  if (BROWSER_REQUIRED) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${INSTALL_HINT}. Required here because CI=true or QC_REQUIRE_BROWSER=1.`);
      });
    });
    return;
  }
  console.warn(`[browser tests] "${name}" skipped: ${INSTALL_HINT}.`);
  describe.skip(`${name} (skipped: ${INSTALL_HINT})`, fn);
}

/** The harness of the running test file (one per file), for the failure dump. */
let current: ConsoleHarness | undefined;

/** On failure: each page's screenshot and HTML, and the server log, under $TMPDIR/qc-browser-failures/. */
async function dumpFailure(testName: string): Promise<void> {
  const h = current;
  if (!h) return;
  const dir = join(tmpdir(), 'qc-browser-failures', `${h.scenario}-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  for (const [i, cp] of h.pages.entries()) {
    await cp.page.screenshot({ path: join(dir, `page${i}.png`) }).catch(() => {});
    const html = await cp.page.content().catch((err: unknown) => String(err));
    await writeFile(join(dir, `page${i}.html`), html);
    await writeFile(
      join(dir, `page${i}-errors.txt`),
      [...cp.pageErrors, ...cp.consoleErrors.map((e) => `console: ${e}`)].join('\n'),
    );
  }
  await writeFile(join(dir, 'server.log'), h.logs.text());
  console.error(`[browser tests] "${testName}" failed: screenshots, page HTML and server log in ${dir}`);
}

export interface ConsoleHarness {
  scenario: string;
  /** Every page opened, first to last. */
  pages: ConsolePage[];
  stack: LocalStack;
  browser: Browser;
  context: BrowserContext;
  /** The first page, opened at `${stack.url}/console/` and ready (composer enabled). */
  console: ConsolePage;
  /** Another page (browser tab) on the same console, loaded and ready. */
  openPage(): Promise<ConsolePage>;
  /** Server log lines (written out when a test fails). */
  logs: ReturnType<typeof captureLogger>;
  close(): Promise<void>;
}

/** The window size the pages open with, unless a test asks for another. */
export const DEFAULT_VIEWPORT = { width: 1440, height: 900 };

/** One stack, one Chromium, one page at /console/, ready to use. */
export async function startConsole(
  scenario: string,
  opts: { viewport?: { width: number; height: number } } = {},
): Promise<ConsoleHarness> {
  const logs = captureLogger();
  const stack = await startLocalStack({
    simulator: { pollHoldMs: 100 },
    keeper: { rescanMs: 100 },
    logger: logs,
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: opts.viewport ?? DEFAULT_VIEWPORT });
    context.setDefaultTimeout(STEP_TIMEOUT);
    const pages: ConsolePage[] = [];
    const openPage = async () => {
      const cp = new ConsolePage(await context.newPage(), stack.url);
      pages.push(cp);
      await cp.load(scenario);
      return cp;
    };
    const first = await openPage();
    const opened = browser;
    current = {
      scenario,
      pages,
      stack,
      browser: opened,
      context,
      console: first,
      openPage,
      logs,
      close: async () => {
        await opened.close().catch(() => {});
        await stack.close();
      },
    };
    return current;
  } catch (err) {
    await browser?.close().catch(() => {});
    await stack.close();
    throw err;
  }
}

/** Waits (auto-waiting locator) until one element of `locator` shows text matching `text`. */
export async function waitForText(locator: Locator, text: RegExp | string): Promise<Locator> {
  const match = locator.filter({ hasText: text }).first();
  await match.waitFor({ state: 'visible' });
  return match;
}

/** What the user sees in the browser console, through the contract's data-testids. */
export class ConsolePage {
  /** Uncaught exceptions of the page (expectClean asserts there are none). */
  readonly pageErrors: string[] = [];
  /** Console errors of the page (a failed bridge request logs one; expectClean asserts there are none). */
  readonly consoleErrors: string[] = [];
  /** Milliseconds from navigation start to a usable page (composer enabled). */
  readyMs = Number.NaN;

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('pageerror', (err) => this.pageErrors.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.consoleErrors.push(msg.text());
    });
  }

  /** No uncaught exception and no console error (a failed bridge request logs one) on this page. */
  expectClean(): void {
    const problems = [...this.pageErrors, ...this.consoleErrors.map((e) => `console: ${e}`)];
    if (problems.length) throw new Error(`the page reported errors:\n${problems.join('\n')}`);
  }

  tid(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** Opens /console/ and waits until the composer can be used; logs the time it took as JSON. */
  async load(scenario: string): Promise<void> {
    const started = performance.now();
    await this.page.goto(`${this.baseUrl}/console/`);
    await this.page.locator('[data-testid="composer"]:enabled').waitFor();
    this.readyMs = Math.round(performance.now() - started);
    // Runs in the page: the browser's own navigation timing (ms since navigation start).
    const nav = await this.page.evaluate(() => {
      type Entry = { domContentLoadedEventEnd: number; loadEventEnd: number; startTime: number };
      const perf = performance as unknown as {
        getEntriesByType(type: string): Entry[];
        getEntriesByName(name: string): Entry[];
      };
      const e = perf.getEntriesByType('navigation')[0];
      // The page marks `qc-console-ready` when the first state has loaded and the composer is enabled.
      const ready = perf.getEntriesByName('qc-console-ready')[0];
      return {
        ...(e
          ? { domContentLoadedMs: Math.round(e.domContentLoadedEventEnd), loadMs: Math.round(e.loadEventEnd) }
          : {}),
        ...(ready ? { pageReadyMarkMs: Math.round(ready.startTime) } : {}),
      };
    });
    console.log(
      JSON.stringify({ metric: 'console_ready_ms', scenario, readyMs: this.readyMs, ...nav, target: 1000 }),
    );
  }

  /** The user the page acts as (the `user-switcher`). */
  async switchUser(userId: string): Promise<void> {
    const switcher = this.tid('user-switcher');
    await switcher.selectOption(userId);
    const shown = await switcher.inputValue();
    if (shown !== userId) throw new Error(`user-switcher shows ${shown}, not ${userId}`);
  }

  get composer(): Locator {
    return this.tid('composer');
  }

  /** Sends a slash command from the composer: the send button, or the Enter key with `enter`. */
  async send(text: string, opts: { enter?: boolean } = {}): Promise<void> {
    const composer = this.composer;
    await composer.click();
    await composer.fill(text);
    if (opts.enter) {
      // Enter with the autocomplete open picks an entry (as in Slack); Esc closes only the list.
      if (await this.tid('autocomplete').isVisible()) await composer.press('Escape');
      await composer.press('Enter');
    } else {
      await this.tid('composer-send').click();
    }
  }

  /** Channel messages matching `text` (the thread pane is a sibling of channel-view; guarded anyway). */
  channelMessage(text: RegExp | string): Locator {
    return this.page
      .locator('[data-testid="channel-view"] [data-testid="message"]:not([data-testid="thread-pane"] *)')
      .filter({ hasText: text });
  }

  /** The channel message with this ts (stays the same message through chat.update). */
  channelMessageByTs(ts: string): Locator {
    return this.page.locator(
      `[data-testid="channel-view"] [data-testid="message"][data-ts="${ts}"]:not([data-testid="thread-pane"] *)`,
    );
  }

  /** Waits for a channel message matching `text` and returns it. */
  async waitForChannelMessage(text: RegExp | string): Promise<Locator> {
    const m = this.channelMessage(text).last();
    await m.waitFor();
    return m;
  }

  get threadPane(): Locator {
    return this.tid('thread-pane');
  }

  /** Opens the thread of `parent` ("N replies") and returns the pane. */
  async openThread(parent: Locator): Promise<Locator> {
    await parent.getByTestId('reply-count').click();
    await this.threadPane.waitFor();
    return this.threadPane;
  }

  /** Waits for a message in the open thread pane matching `text`. */
  async waitForThreadMessage(text: RegExp | string): Promise<Locator> {
    return waitForText(this.threadPane.getByTestId('message'), text);
  }

  get modal(): Locator {
    return this.tid('modal');
  }

  /** The modal's input for a block (plain_text_input → <input>, static_select → <select>). */
  modalInput(blockId: string): Locator {
    return this.modal.locator(`[data-block-id="${blockId}"]:is(input, select, textarea)`);
  }

  /** `/qc signin` from the composer, the password in the modal, Sign in; leaves the modal closed. */
  async signIn(userId: string, password = 'simulator'): Promise<void> {
    await this.switchUser(userId);
    await this.send('/qc signin');
    await this.modal.waitFor();
    await this.modalInput('qc_password').fill(password);
    await this.tid('modal-submit').click();
    await waitForText(this.modal, /Signed in as inspector/);
    await this.tid('modal-close').click();
    await this.modal.waitFor({ state: 'hidden' });
  }

  /** A Block Kit button of `scope` by its label. */
  button(scope: Locator, label: string | RegExp): Locator {
    return scope.getByTestId('block-button').filter({ hasText: label });
  }

  /** Clicks and waits for the page's request the click makes (e.g. a fault applied before the next step). */
  async clickAndWaitFor(target: Locator, method: string, path: string): Promise<void> {
    const answered = this.page.waitForResponse(
      (r) => r.request().method() === method && new URL(r.url()).pathname === path,
    );
    await target.click();
    const res = await answered;
    if (!res.ok()) throw new Error(`${method} ${path} answered ${res.status()}: ${await res.text()}`);
  }

  /** Writes docs/<file> when QC_SCREENSHOTS=1. */
  async screenshot(file: string): Promise<void> {
    if (!SCREENSHOTS) return;
    await mkdir(DOCS, { recursive: true });
    // Passing notices (toasts) would cover the composer; the docs show the screen itself.
    await this.page.screenshot({
      path: join(DOCS, file),
      style: '[data-testid="toast"] { visibility: hidden; }',
    });
    console.log(JSON.stringify({ screenshot: `docs/${file}` }));
  }
}

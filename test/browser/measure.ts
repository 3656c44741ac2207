import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Layout facts of the console, measured in the browser (bounding boxes, computed styles, the focused
 * element): what a person at a given window width would see, never how long anything took.
 */

/**
 * The browser's globals that the functions run in the page use, typed here because the tests compile
 * without the DOM library: `globalThis as unknown as PageGlobals` inside a page function (a type cast,
 * nothing to serialize).
 */
export interface PageElement {
  dataset: Record<string, string | undefined>;
  id: string;
  tagName: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  scrollHeight: number;
  clientHeight: number;
  selectedOptions?: ArrayLike<{ textContent: string | null }>;
  getBoundingClientRect(): Box;
  getAttribute(name: string): string | null;
}
export interface PageStyle {
  lineHeight: string;
  fontSize: string;
  font: string;
  paddingLeft: string;
  paddingRight: string;
  outlineWidth: string;
  outlineOffset: string;
  overflowY: string;
}
export interface PageGlobals {
  innerWidth: number;
  innerHeight: number;
  document: {
    activeElement: PageElement | null;
    scrollingElement: PageElement | null;
    querySelectorAll(selector: string): Iterable<PageElement>;
    elementFromPoint(x: number, y: number): unknown;
    createElement(tag: 'canvas'): {
      getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } } | null;
    };
  };
  getComputedStyle(el: PageElement): PageStyle;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The element's box; fails with the locator's description when it is not laid out. */
export async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error(`${locator} is not laid out`);
  return b;
}

/** True when the two boxes share more than a pixel of area. */
export function overlaps(a: Box, b: Box): boolean {
  return (
    a.x + a.width > b.x + 1 && b.x + b.width > a.x + 1 && a.y + a.height > b.y + 1 && b.y + b.height > a.y + 1
  );
}

/** `inner` lies inside `outer` (1 px of rounding allowed). */
export function expectInside(inner: Box, outer: Box, what: string): void {
  expect(inner.x, `${what}: left edge`).toBeGreaterThanOrEqual(outer.x - 1);
  expect(inner.y, `${what}: top edge`).toBeGreaterThanOrEqual(outer.y - 1);
  expect(inner.x + inner.width, `${what}: right edge`).toBeLessThanOrEqual(outer.x + outer.width + 1);
  expect(inner.y + inner.height, `${what}: bottom edge`).toBeLessThanOrEqual(outer.y + outer.height + 1);
}

/** The viewport as a box. */
export async function viewport(page: Page): Promise<Box> {
  const { width, height } = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    return { width: w.innerWidth, height: w.innerHeight };
  });
  return { x: 0, y: 0, width, height };
}

/** The page never scrolls sideways: the document is no wider than the window. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    return { scrollWidth: w.document.scrollingElement?.scrollWidth ?? 0, innerWidth: w.innerWidth };
  });
  expect(scrollWidth, 'document width').toBeLessThanOrEqual(innerWidth);
}

/** The element's content fits its width (nothing cut off or scrolled sideways inside it). */
export async function expectNoOverflowX(locator: Locator, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await locator.evaluate((el) => ({
    scrollWidth: el.scrollWidth,
    clientWidth: el.clientWidth,
  }));
  expect(scrollWidth, `${what}: content width`).toBeLessThanOrEqual(clientWidth + 1);
}

/** How many lines of text the element takes (its height over its computed line height). */
export async function lines(locator: Locator): Promise<number> {
  return locator.evaluate((node) => {
    const el = node as unknown as PageElement;
    const style = (globalThis as unknown as PageGlobals).getComputedStyle(el);
    const lineHeight = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.2;
    const height = el.getBoundingClientRect().height;
    return height === 0 ? 0 : Math.round(height / lineHeight);
  });
}

/**
 * A <select> shows its chosen option's whole text: the text, measured in the select's font, fits the
 * select's inner width less the drop-down arrow.
 */
export async function expectSelectShowsWholeLabel(select: Locator, what: string): Promise<void> {
  const m = await select.evaluate((node) => {
    const w = globalThis as unknown as PageGlobals;
    const s = node as unknown as PageElement;
    const style = w.getComputedStyle(s);
    const ctx = w.document.createElement('canvas').getContext('2d');
    if (!ctx) throw new Error('no 2d canvas');
    ctx.font = style.font;
    const text = s.selectedOptions?.[0]?.textContent ?? '';
    const padding = Number.parseFloat(style.paddingLeft) + Number.parseFloat(style.paddingRight);
    return { text, textWidth: ctx.measureText(text).width, room: s.clientWidth - padding };
  });
  const ARROW = 16; // Chromium's drop-down arrow takes about this much of the inner width
  expect(m.textWidth + ARROW, `${what}: "${m.text}" fits`).toBeLessThanOrEqual(m.room);
}

/** What has the keyboard focus: its data-testid, else its Block Kit block ID, else its id, else its tag. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = (globalThis as unknown as PageGlobals).document.activeElement;
    if (!el) return 'none';
    return el.dataset.testid ?? el.dataset.blockId ?? (el.id || el.tagName.toLowerCase());
  });
}

/** Waits for a toast and returns its box, measured while it is shown (toasts go away by themselves). */
export async function toastBox(page: Page, text: RegExp): Promise<Box> {
  const handle = await page.waitForFunction(
    (source) => {
      const re = new RegExp(source);
      const doc = (globalThis as unknown as PageGlobals).document;
      const t = [...doc.querySelectorAll('.toast')].find((el) => re.test(el.textContent ?? ''));
      if (!t) return null;
      const r = t.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    },
    text.source,
    { polling: 'raf' },
  );
  return (await handle.jsonValue()) as Box;
}

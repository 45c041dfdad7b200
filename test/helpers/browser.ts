import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where Chromium is looked for, in order, after CHROMIUM_PATH. */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The system Chromium: CHROMIUM_PATH, else Debian's or Ubuntu's. playwright-core cannot download a browser here (no
 * internet), so a machine without one gets an error that says how to install it rather than playwright's own.
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.CHROMIUM_PATH;
  if (given !== undefined && given !== '') {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH=${given}: no such file. Unset it, or point it at a Chromium binary.`);
    return given;
  }
  const found = SYSTEM_CHROMIUM.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error(
      `the browser tests need Chromium and found none (looked at ${SYSTEM_CHROMIUM.join(', ')}): ` +
        'run .ci/run, which installs it, or apt-get install chromium, or set CHROMIUM_PATH to a Chromium binary',
    );
  }
  return found;
}

/** Launches the system Chromium, headless. --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'], timeout: 15_000 });
}

/** A page showing one local file, with everything it did wrong recorded. */
export interface FilePage {
  page: Page;
  url: string;
  /** console.error() calls and failed resource loads, as Chromium reported them. */
  consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections. */
  pageErrors: string[];
  /** Every request for something other than the file itself (blocked): a self-contained page makes none. */
  externalRequests: string[];
  /** alert(), confirm(), prompt() and beforeunload dialogs, dismissed. */
  dialogs: string[];
}

export interface OpenOptions {
  /** How long the navigation (up to the load event) may take; default 15 s. */
  timeoutMs?: number;
  /** Runs before any of the page's own scripts (e.g. a timing probe). */
  initScript?: string;
  /** The longest any click, fill or wait on the page may take unless told otherwise; default 10 s. */
  actionTimeoutMs?: number;
}

/**
 * Opens `file` (a path) in a new page of `context`, with every request but the file itself blocked and recorded, and
 * console errors, page errors and dialogs recorded. data: and blob: URLs never reach the network, so they are allowed.
 */
export async function openFile(context: BrowserContext, file: string, options: OpenOptions = {}): Promise<FilePage> {
  const page = await context.newPage();
  page.setDefaultTimeout(options.actionTimeoutMs ?? 10_000);
  const url = pathToFileURL(file).href;
  const opened: FilePage = { page, url, consoleErrors: [], pageErrors: [], externalRequests: [], dialogs: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') opened.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => opened.pageErrors.push(`${error.name}: ${error.message}`));
  page.on('dialog', (dialog) => {
    opened.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('websocket', (socket) => opened.externalRequests.push(socket.url()));
  await page.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested === url || requested.startsWith('data:') || requested.startsWith('blob:')) return route.continue();
    opened.externalRequests.push(requested);
    return route.abort('blockedbyclient');
  });
  if (options.initScript !== undefined) await page.addInitScript(options.initScript);
  await page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs ?? 15_000 });
  return opened;
}

/** Resolves when the page has built its charts and table (`body[data-rendered="true"]`); rejects after `timeoutMs`. */
export async function waitForRendered(page: Page, timeoutMs = 10_000): Promise<void> {
  await page.waitForSelector('body[data-rendered="true"]', { state: 'attached', timeout: timeoutMs });
}

/** What one chart holds: each `[data-chart]` element, with its canvas (the first, when it has several) read back. */
export interface CanvasInk {
  /** The chart's data-chart name. */
  chart: string;
  /** The slot says it has nothing to draw (data-empty="true"). */
  empty: boolean;
  /** The slot holds a canvas. */
  canvas: boolean;
  width: number;
  height: number;
  /** Pixels that differ from the canvas's most common colour (its background). */
  inked: number;
  /** Of those, pixels with a clear hue (series lines and fills, not grey axes or text). */
  coloured: number;
}

/**
 * Reads back the canvas of every `[data-chart]` (through toDataURL, so any context type works) and counts its pixels
 * that differ from its background: a canvas nothing was drawn on has none.
 */
export async function chartInk(page: Page): Promise<CanvasInk[]> {
  return page.evaluate(async () => {
    // tsconfig has no DOM lib (src is Node code): the few browser types used here, declared for this function only.
    interface Canvas {
      width: number;
      height: number;
      toDataURL(type: string): string;
      getContext(id: '2d'): {
        drawImage(image: unknown, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      } | null;
    }
    interface Slot {
      dataset: Record<string, string | undefined>;
      querySelector(selector: 'canvas'): Canvas | null;
    }
    interface Dom {
      document: { querySelectorAll(selector: string): Iterable<Slot>; createElement(tag: 'canvas'): Canvas };
      Image: new () => { src: string; decode(): Promise<void> };
    }
    const { document, Image } = globalThis as unknown as Dom;
    const slots = [...document.querySelectorAll('[data-chart]')];
    return Promise.all(
      slots.map(async (slot) => {
        const chart = slot.dataset.chart ?? '';
        const empty = slot.dataset.empty === 'true';
        const canvas = slot.querySelector('canvas');
        const blank = { chart, empty, canvas: canvas !== null, width: canvas?.width ?? 0, height: canvas?.height ?? 0, inked: 0, coloured: 0 };
        if (canvas === null || canvas.width === 0 || canvas.height === 0) return blank;
        const { width, height } = canvas;
        const image = new Image();
        image.src = canvas.toDataURL('image/png');
        await image.decode();
        const copy = document.createElement('canvas');
        copy.width = width;
        copy.height = height;
        const context = copy.getContext('2d');
        if (context === null) return blank;
        context.drawImage(image, 0, 0);
        const data = new Uint32Array(context.getImageData(0, 0, width, height).data.buffer);
        const counts = new Map<number, number>();
        for (const pixel of data) counts.set(pixel, (counts.get(pixel) ?? 0) + 1);
        let background = 0;
        let most = -1;
        for (const [pixel, count] of counts) {
          if (count > most) [background, most] = [pixel, count];
        }
        let coloured = 0;
        for (const [pixel, count] of counts) {
          // Little-endian RGBA: red in the low byte.
          const [r, g, b, a] = [pixel & 0xff, (pixel >>> 8) & 0xff, (pixel >>> 16) & 0xff, pixel >>> 24];
          if (pixel !== background && a > 64 && Math.max(r, g, b) - Math.min(r, g, b) > 48) coloured += count;
        }
        return { ...blank, inked: data.length - most, coloured };
      }),
    );
  });
}

/** A canvas counts as drawn when at least this share of its pixels (and 100 at least) differ from its background. */
export function isDrawn(ink: CanvasInk, minShare = 0.002): boolean {
  return ink.inked >= Math.max(100, ink.width * ink.height * minShare);
}

export interface ScreenshotOptions {
  /** Only the top of the page, at most this many CSS pixels tall. */
  maxHeight?: number;
}

/** A PNG of the whole page (or its top `maxHeight` pixels) at the page's viewport width. */
export async function screenshot(page: Page, path: string, options: ScreenshotOptions = {}): Promise<Buffer> {
  if (options.maxHeight === undefined) return page.screenshot({ path, fullPage: true, animations: 'disabled', timeout: 15_000 });
  const size = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; scrollHeight: number } } }).document.documentElement;
    return { width: root.scrollWidth, height: root.scrollHeight };
  });
  const width = Math.min(size.width, page.viewportSize()?.width ?? size.width);
  return page.screenshot({
    path,
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(size.height, options.maxHeight) },
    animations: 'disabled',
    timeout: 15_000,
  });
}

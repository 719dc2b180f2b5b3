import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { PanelReport } from '../../src/shared/protocol';
import { launchChromium } from '../support/chromium';
import { FakeHost, REPO, servePanel } from './fakeHost';

export const EXAMPLES = path.join(REPO, 'examples');
export const ARTIFACTS = path.join(REPO, 'test-artifacts');
/** The toolkit's known CSP complaint (its issue #545): harmless, and no reason to allow inline styles. */
export const KNOWN_TOOLKIT_ERROR = /Applying inline style violates the following Content Security Policy directive/;

export interface OpenOptions {
  theme?: string;
  viewport?: { width: number; height: number };
  /** What the panel must show before the test goes on: by default, the run done. */
  ready?: (report: PanelReport) => boolean;
  /** Set the fake host up before the panel asks it for anything. */
  prepare?: (host: FakeHost) => void;
}

export interface PanelPages {
  /** A page of its own for this test, whose errors fail it. */
  newPage(viewport: { width: number; height: number }): Promise<Page>;
  /** The built panel in a new page, fed a config's run by the fake host. */
  open(configFile: string, options?: OpenOptions): Promise<{ page: Page; host: FakeHost }>;
}

/**
 * The panel's Chromium tests, set up once for a describe block: one browser and one server for
 * the block, a page per test (closed after it), and a test that fails when its page logged an
 * error (but the toolkit's known one).
 */
export function panelPages(): PanelPages {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof servePanel>>;
  const pages: Page[] = [];
  const errors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    server = await servePanel();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
    assert.deepEqual(errors.splice(0).filter((e) => !KNOWN_TOOLKIT_ERROR.test(e)), [], 'the page logged errors');
  });

  const newPage = async (viewport: { width: number; height: number }): Promise<Page> => {
    const page = await browser.newPage({ viewport });
    pages.push(page);
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    return page;
  };

  return {
    newPage,
    async open(configFile, { theme = 'light', viewport = { width: 1180, height: 820 }, ready = (r: PanelReport) => r.status === 'done', prepare }: OpenOptions = {}) {
      const page = await newPage(viewport);
      const host = new FakeHost(page, configFile);
      prepare?.(host);
      await host.attach();
      await page.goto(server.url(theme));
      await host.until(ready);
      return { page, host };
    },
  };
}

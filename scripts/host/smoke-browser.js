#!/usr/bin/env node
// Smoke check of the whole browser host: provision code-server (see provision.js),
// start it on a scratch folder, open it in Debian's Chromium driven by
// playwright-core, and wait until the workbench shows the folder's file in the
// Explorer (which needs the server's remote connection to work, not just HTTP).
// Saves a screenshot (default /tmp/code-server-smoke.png, or the first argument).
//
// Never `npx playwright install`: it downloads a browser; we use /usr/bin/chromium.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startCodeServer } = require('./codeServer');
const { ensureDebianPackages } = require('./debian');
const { provisionCodeServer, BROWSER_PACKAGES } = require('./provision');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function loadPlaywright() {
  try {
    return require('playwright-core');
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error('playwright-core is not installed: run `npm install` (or `npm install --no-save playwright-core@1.65.1`)');
  }
}

async function main() {
  const screenshot = process.argv[2] || path.join(os.tmpdir(), 'code-server-smoke.png');
  const { chromium } = loadPlaywright();
  await ensureDebianPackages(BROWSER_PACKAGES, { log: () => {} });
  const { entry } = await provisionCodeServer();

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-browser-smoke-'));
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'smoke-hello.txt'), 'Hello from the smoke check.\n');

  let server;
  let browser;
  try {
    server = await startCodeServer({
      entry, workspace,
      userDataDir: path.join(scratch, 'user-data'), extensionsDir: path.join(scratch, 'extensions'),
    });
    const t0 = Date.now();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    const tWorkbench = Date.now() - t0;
    await page.locator('.explorer-folders-view').getByText('smoke-hello.txt').waitFor({ timeout: 60000 });
    const tExplorer = Date.now() - t0;

    await page.screenshot({ path: screenshot });
    console.error(`[smoke-browser] ${await browser.version()} (playwright-core ${require('playwright-core/package.json').version})`);
    console.error(`[smoke-browser] .monaco-workbench after ${seconds(tWorkbench)}, file in Explorer after ${seconds(tExplorer)} (from browser launch)`);
    if (pageErrors.length) console.error(`[smoke-browser] page errors (${pageErrors.length}), first: ${pageErrors[0]}`);
    console.log(screenshot);
  } finally {
    if (browser) await browser.close();
    if (server) await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error && error.message ? error.message : error);
  process.exitCode = 1;
});

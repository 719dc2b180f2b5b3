// Debian's Chromium, driven by playwright-core: the one browser of the webview tier, the
// workbench check, the code-server suite and the benchmark. Never a downloaded browser
// (`npx playwright install` needs a network these machines lack). Plain JavaScript, so it
// runs before anything is compiled; test/support/chromium.ts types it for the tests.
'use strict';

const { ensureDebianPackages } = require('./vscode/debian');

const CHROMIUM_PATH = '/usr/bin/chromium';
/** The Debian package that provides CHROMIUM_PATH, and fonts with Chinese glyphs (the panel speaks zh-cn too). */
const CHROMIUM_PACKAGES = ['chromium', 'fonts-noto-cjk'];
/** Flags for Chromium on a machine with a closed network, run as root. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Launches Debian's Chromium headless, with CHROMIUM_ARGS and then `extraArgs`. Installs the
 * package first when it is missing and we are root; otherwise fails with the command to run.
 * @param {{ log?: (line: string) => void, extraArgs?: string[] }} [options]
 * @returns {Promise<import('playwright-core').Browser>}
 */
async function launchChromium({ log = () => {}, extraArgs = [] } = {}) {
  await ensureDebianPackages(CHROMIUM_PACKAGES, { log });
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

module.exports = { CHROMIUM_ARGS, CHROMIUM_PACKAGES, launchChromium };

// Runs an extension-test suite inside VS Code 1.100 as packaged by code-server, driven by
// Debian's Chromium through playwright-core: the way VS Code's own browser integration tests
// run (a `payload` with extensionDevelopmentPath and extensionTestsPath in the URL, and two
// functions on the page that receive the extension host's console and its exit code).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const { launchChromium } = require('../chromium');
const { startCodeServer } = require('./codeServer');
const { provisionCodeServer } = require('./provision');

const SUITE_TIMEOUT_MS = 10 * 60 * 1000;
/** The workbench's complaints about the closed network (no extension gallery): noise here. */
const HARMLESS = /open-vsx\.org|^\s+at .*workbench\.js|^\s+at async /;

/** A scratch folder for one code-server: its user data, its extensions. */
function scratchDirs(name) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `training-trace-${name}-`));
  return { root, userDataDir: path.join(root, 'user-data'), extensionsDir: path.join(root, 'extensions') };
}

/**
 * Runs the suite at `testsPath` (a CommonJS module exporting `run()`) with the extension at
 * `extensionPath` loaded for development, in a workbench opened on `workspace`.
 * Resolves with the suite's exit code (0 when every test passed).
 */
async function runSuiteInCodeServer({ extensionPath, testsPath, workspace, log = (line) => console.log(line) }) {
  const { entry } = await provisionCodeServer({ log });
  const dirs = scratchDirs('extension-host');
  const server = await startCodeServer({ entry, workspace, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, log });
  const browser = await launchChromium({ log });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      // The extension host's console.log calls, format string first (mocha's reporter uses them).
      const text = util.format(...(Array.isArray(args) ? args : [args]));
      for (const line of text.split('\n')) if (line.trim() && !HARMLESS.test(line)) log(`  │ ${line}`);
    });
    let exit;
    const exited = new Promise((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    const remote = (file) => `vscode-remote://127.0.0.1:${server.port}${file}`;
    const payload = [['extensionDevelopmentPath', remote(extensionPath)], ['extensionTestsPath', remote(testsPath)], ['skipWelcome', 'true']];
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(resolve, SUITE_TIMEOUT_MS, 'timeout')));
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code === 'timeout') throw new Error(`the extension-host suite did not finish within ${SUITE_TIMEOUT_MS / 60000} minutes`);
    return code;
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dirs.root, { recursive: true, force: true });
  }
}

module.exports = { runSuiteInCodeServer, scratchDirs };

// Runs the extension-test suite in desktop VS Code through @vscode/test-electron, which
// downloads VS Code from Microsoft. Used where that download works (a developer's machine,
// a public CI); on machines that reach only npm and Debian, code-server runs the same suite.
'use strict';

const childProcess = require('node:child_process');
const https = require('node:https');
const { ensureDebianPackages } = require('./debian');

/** The desktop VS Code the suite runs in: the newest that engines.vscode (≤ 1.100) allows here too. */
const DESKTOP_VERSION = '1.100.3';
/** What Electron needs on a bare Debian, and a virtual display when there is no screen. */
const ELECTRON_PACKAGES = ['xvfb', 'libnss3', 'libgbm1', 'libasound2', 'libgtk-3-0', 'libxkbfile1', 'libsecret-1-0', 'libxss1'];

/** Whether desktop VS Code can be had: asks its update server, giving up after a few seconds. */
function desktopReachable(timeoutMs = 4000) {
  return new Promise((resolve) => {
    const request = https.get('https://update.code.visualstudio.com/api/releases/stable', { timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** Resolves with the suite's exit code (0 when every test passed). */
async function runSuiteInDesktop({ extensionPath, testsPath, workspace, log = (line) => console.log(line) }) {
  const { runTests } = require('@vscode/test-electron');
  let xvfb;
  const env = { ...process.env };
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    await ensureDebianPackages(ELECTRON_PACKAGES, { log });
    xvfb = childProcess.spawn('Xvfb', [':99', '-screen', '0', '1600x900x24'], { stdio: 'ignore' });
    env.DISPLAY = ':99';
    process.env.DISPLAY = ':99';
  }
  try {
    await runTests({
      version: DESKTOP_VERSION,
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: testsPath,
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--disable-workspace-trust'],
      extensionTestsEnv: env,
    });
    return 0;
  } catch (error) {
    log(`desktop VS Code: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    xvfb?.kill();
  }
}

module.exports = { desktopReachable, runSuiteInDesktop, DESKTOP_VERSION };

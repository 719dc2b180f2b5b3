#!/usr/bin/env node
// The extension in a real VS Code, in two parts:
//   1. the extension-host suite (test/integration): desktop VS Code through @vscode/test-electron
//      where it can be downloaded, otherwise VS Code 1.100.3 as packaged by code-server;
//   2. the workbench check (test/e2e): the packaged .vsix installed into code-server and used
//      through the Command Palette and the panel's webview, driven by Chromium.
// It says which VS Code ran, and fails loudly when none can start: it never skips.
// Expects the build, the compiled suites and training-trace.vsix (scripts/test.js makes them).
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runSuiteInCodeServer } = require('./codeServerTests');
const { ensureDebianPackages } = require('./debian');
const { desktopReachable, runSuiteInDesktop, DESKTOP_VERSION } = require('./desktopTests');
const { VERSION: CODE_SERVER_VERSION } = require('./provision');

const REPO = path.resolve(__dirname, '..', '..');

/** A fresh workspace: the examples, and the suite's own configs (a long run to stop). */
function makeWorkspace() {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'training-trace-workspace-'));
  for (const dir of [path.join(REPO, 'examples'), path.join(REPO, 'test', 'integration', 'workspace')]) {
    // recursive: examples/ has a folder (examples/pytorch)
    for (const name of fs.readdirSync(dir)) fs.cpSync(path.join(dir, name), path.join(workspace, name), { recursive: true });
  }
  return workspace;
}

/** Which VS Code runs the extension-host suite: TRAINING_TRACE_VSCODE=desktop|code-server, or what can run here. */
async function chooseVSCode() {
  const asked = process.env.TRAINING_TRACE_VSCODE;
  if (asked === 'desktop' || asked === 'code-server') return { vscode: asked, why: `TRAINING_TRACE_VSCODE=${asked}` };
  if (asked) throw new Error(`TRAINING_TRACE_VSCODE must be "desktop" or "code-server", not "${asked}"`);
  return (await desktopReachable())
    ? { vscode: 'desktop', why: 'VS Code can be downloaded here' }
    : { vscode: 'code-server', why: 'desktop VS Code cannot be downloaded here (update.code.visualstudio.com is unreachable)' };
}

async function main() {
  // The suite runs a learner's PyTorch script through the extension: Debian's PyTorch, as the python tier has it.
  await ensureDebianPackages(['python3-torch'], { log: (line) => console.log(line) });
  const { vscode, why } = await chooseVSCode();
  const label = vscode === 'desktop' ? `desktop VS Code ${DESKTOP_VERSION} (@vscode/test-electron)` : `code-server ${CODE_SERVER_VERSION} (VS Code 1.100.3)`;
  console.log(`extension-host suite: running in ${label}, because ${why}`);
  const workspace = makeWorkspace();
  const suite = { extensionPath: REPO, testsPath: path.join(REPO, 'out', 'test', 'integration', 'index'), workspace };
  let code;
  try {
    code = vscode === 'desktop' ? await runSuiteInDesktop(suite) : await runSuiteInCodeServer(suite);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  console.log(`extension-host suite: exit code ${code}`);
  console.log('workbench check: the packaged .vsix in code-server, driven by Chromium');
  const mocha = require.resolve('mocha/bin/mocha.js');
  const workbench = childProcess.spawnSync(process.execPath, [mocha, '--config', path.join(REPO, 'test', '.mocharc.e2e.json')], { cwd: REPO, stdio: 'inherit' });
  process.exitCode = code === 0 && workbench.status === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(`extension-host suite: no VS Code could run it: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

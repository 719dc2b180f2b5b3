#!/usr/bin/env node
// `npm run demo`: builds the extension and opens the bundled examples in VS Code with it loaded.
//   - desktop VS Code when the `code` command exists (extension loaded for development);
//   - otherwise VS Code 1.100.3 from code-server on 127.0.0.1 (installed into .vscode-test/ the
//     first time), with the URL printed: open it in a browser. Ctrl-C stops it.
// TRAINING_TRACE_VSCODE=code-server forces the second even where `code` exists (the same variable
// chooses the VS Code of `npm test`'s extension-host tier).
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startCodeServer } = require('./vscode/codeServer');
const { provisionCodeServer } = require('./vscode/provision');

const REPO = path.resolve(__dirname, '..');
const EXAMPLES = path.join(REPO, 'examples');

function hasCodeCommand() {
  return childProcess.spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function main() {
  const build = childProcess.spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  if (process.env.TRAINING_TRACE_VSCODE !== 'code-server' && hasCodeCommand()) {
    console.log('Opening the examples in VS Code with Training Trace loaded…');
    childProcess.spawnSync('code', ['--extensionDevelopmentPath', REPO, EXAMPLES], { stdio: 'inherit' });
    return;
  }
  const { entry } = await provisionCodeServer();
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'training-trace-demo-'));
  const server = await startCodeServer({ entry, workspace: EXAMPLES, userDataDir: path.join(state, 'user-data'), extensionsDir: path.join(state, 'extensions'), log: () => {} });
  // code-server loads an extension under development from the URL, as VS Code's own web tests do.
  const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${REPO}`], ['skipWelcome', 'true']];
  const url = `${server.url}?folder=${encodeURIComponent(EXAMPLES)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  console.log(`\nTraining Trace is running in VS Code (code-server) at:\n\n  ${url}\n`);
  console.log('Open it in a browser, open question.training.json, then run “Training Trace: Run Training Config” from the Command Palette (F1).');
  console.log('Ctrl-C stops the server.');
  const stop = async () => {
    await server.stop();
    fs.rmSync(state, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

#!/usr/bin/env node
// The `python` tier of `npm test` (node scripts/test.js python): makes sure Debian's PyTorch is
// installed (apt-get as root, otherwise one line saying what to run), then runs the Python tests
// with Debian's own interpreter, which is the one python3-torch installs into. run.py ends with
// mocha's words ("N passing", "N failing") for the summary line. Arguments go on to run.py
// (-v, or a pattern such as "twin").
'use strict';

const childProcess = require('node:child_process');
const path = require('node:path');
const { ensureDebianPackages } = require('../../scripts/vscode/debian');

const REPO = path.resolve(__dirname, '..', '..');
const PYTHON = '/usr/bin/python3';

async function main() {
  try {
    await ensureDebianPackages(['python3-torch'], { log: (line) => console.log(line) });
  } catch (error) {
    console.error(error.message);
    return 1;
  }
  const result = childProcess.spawnSync(PYTHON, [path.join(__dirname, 'run.py'), ...process.argv.slice(2)], {
    cwd: REPO,
    stdio: 'inherit',
    // the tests run the CLI with this Node; no __pycache__ in python/ (it ships in the .vsix)
    env: { ...process.env, NODE: process.execPath, PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (result.error) {
    console.error(`${PYTHON} could not be run: ${result.error.message}`);
    return 1;
  }
  return result.status === null ? 1 : result.status;
}

main().then((code) => { process.exitCode = code; });

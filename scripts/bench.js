#!/usr/bin/env node
// `npm run bench [-- --quick]`: builds, then prints the benchmark's JSON object on stdout
// (see test/bench/main.ts for its keys). Progress, and TensorFlow.js's greeting, go to stderr.
// TensorFlow.js (one column of the figures) is not in the extension's install: it is the npm
// package of test/bench/tfjs, installed there from its own lock file on first use.
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const TFJS_DIR = path.join(REPO, 'test', 'bench', 'tfjs');

function run(command, args) {
  const result = childProcess.spawnSync(command, args, { cwd: REPO, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.status !== 0) process.exit(1);
}

/** The TensorFlow.js version installed in TFJS_DIR, if any. */
function installedTfjs() {
  try {
    return JSON.parse(fs.readFileSync(path.join(TFJS_DIR, 'node_modules', '@tensorflow', 'tfjs', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

const wanted = JSON.parse(fs.readFileSync(path.join(TFJS_DIR, 'package.json'), 'utf8')).dependencies['@tensorflow/tfjs'];
if (installedTfjs() !== wanted) {
  console.error(`bench: installing TensorFlow.js ${wanted} into test/bench/tfjs (once; about 300 MB)…`);
  run('npm', ['ci', '--prefix', TFJS_DIR, '--no-audit', '--no-fund', '--loglevel', 'error']);
}
run(process.execPath, ['esbuild.js']);
run('npx', ['tsc', '-p', 'test/bench/tsconfig.json']);
// stdout carries only the result: anything a library logs goes to stderr.
console.log = console.error;
console.info = console.error;
require(path.join(REPO, 'out', 'test', 'bench', 'main.js'));

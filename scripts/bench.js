#!/usr/bin/env node
// `npm run bench [-- --quick]`: builds, then prints the benchmark's JSON object on stdout
// (see test/bench/main.ts for its keys). Progress, and TensorFlow.js's greeting, go to stderr.
'use strict';

const childProcess = require('node:child_process');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
for (const [command, args] of [[process.execPath, ['esbuild.js']], ['npx', ['tsc', '-p', 'test/bench/tsconfig.json']]]) {
  const result = childProcess.spawnSync(command, args, { cwd: REPO, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.status !== 0) process.exit(1);
}
// stdout carries only the result: anything a library logs goes to stderr.
console.log = console.error;
console.info = console.error;
require(path.join(REPO, 'out', 'test', 'bench', 'main.js'));

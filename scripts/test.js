#!/usr/bin/env node
// `npm test`: builds once, then runs every tier and prints one summary line per tier.
//   core     plain Node: the trainer, config, outline, CLI, worker (mocha)
//   webview  the built panel in Debian's Chromium, fed by the real core (mocha + playwright-core)
//   vscode   the extension in a real VS Code: the extension-host suite and the workbench check
//   python   the PyTorch recorder (python/), with PyTorch as an oracle for the trainer (test/python)
// `node scripts/test.js webview vscode` runs only those tiers. Each tier installs what it
// needs (Chromium, code-server, build headers, Debian's python3-torch) the first time, when run as root.
'use strict';

const childProcess = require('node:child_process');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const mocha = require.resolve('mocha/bin/mocha.js');

const TIERS = {
  core: { title: 'core (Node)', command: [mocha, '--config', 'test/.mocharc.json'] },
  webview: { title: 'webview (Chromium)', command: [mocha, '--config', 'test/.mocharc.webview.json'] },
  vscode: { title: 'extension host (VS Code)', command: ['scripts/vscode/vscodeTier.js'] },
  python: { title: 'python (PyTorch)', command: ['test/python/tier.js'] },
};

const BUILD = [
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['typecheck webview', 'npx', ['tsc', '-p', 'webview/tsconfig.json']],
  ['bundle', process.execPath, ['esbuild.js']],
  ['compile tests', 'npx', ['tsc', '-p', 'test/tsconfig.json']],
  ['compile extension-host suite', 'npx', ['tsc', '-p', 'test/integration/tsconfig.json']],
  ['compile workbench check', 'npx', ['tsc', '-p', 'test/e2e/tsconfig.json']],
];

function build(withPackage) {
  const steps = withPackage ? [...BUILD, ['package .vsix', 'npm', ['run', '--silent', 'package']]] : BUILD;
  for (const [name, command, args] of steps) {
    const result = childProcess.spawnSync(command, args, { cwd: REPO, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`\nbuild step "${name}" failed: nothing was tested`);
      process.exit(1);
    }
  }
}

/** Runs a tier, showing its output as it comes, and counts mocha's "N passing / failing" lines. */
function runTier(tier) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = childProcess.spawn(process.execPath, tier.command, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const show = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', show(process.stdout));
    child.stderr.on('data', show(process.stderr));
    child.on('close', (code) => {
      const count = (word) => [...output.matchAll(new RegExp(`(\\d+) ${word}`, 'g'))].reduce((n, m) => n + Number(m[1]), 0);
      resolve({ ok: code === 0, passed: count('passing'), failed: count('failing'), seconds: (Date.now() - started) / 1000 });
    });
  });
}

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in TIERS));
  if (unknown.length) {
    console.error(`unknown tier ${unknown.join(', ')}; the tiers are ${Object.keys(TIERS).join(', ')}`);
    process.exit(2);
  }
  const names = asked.length ? asked : Object.keys(TIERS);
  build(names.includes('vscode'));
  const results = [];
  for (const name of names) {
    console.log(`\n━━ ${TIERS[name].title} ━━`);
    results.push([name, await runTier(TIERS[name])]);
  }
  console.log('\n━━ summary ━━');
  for (const [name, r] of results) {
    const counts = `${r.passed} passed${r.failed ? `, ${r.failed} failed` : ''}`;
    console.log(`${r.ok ? '✔' : '✘'} ${TIERS[name].title.padEnd(26)} ${(r.ok ? 'PASS' : 'FAIL').padEnd(5)} ${counts.padEnd(22)} ${r.seconds.toFixed(1)} s`);
  }
  process.exitCode = results.every(([, r]) => r.ok && r.passed > 0) ? 0 : 1;
}

main();

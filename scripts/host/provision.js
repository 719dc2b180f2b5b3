#!/usr/bin/env node
// Provision a real VS Code (1.100.3, as packaged by code-server 4.100.3) for the
// extension's integration tests, on machines that reach only the npm registry and
// Debian's apt repositories. See docs/real-vscode-host.md (shared docs) for the
// background: `@vscode/test-electron` and `@vscode/test-web` download VS Code from
// Microsoft and cannot run there, and a plain `npm install code-server` fails there.
//
// Usage:
//   node scripts/host/provision.js      provision (if needed), smoke-start once, print entry path
//   require('./scripts/host/provision') { provisionCodeServer, startCodeServer, ensureDebianPackages }
//
// Standard library only: this runs before (and independently of) `npm install`.
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const VERSION = '4.100.3';
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CACHE_ROOT = path.join(REPO_ROOT, '.vscode-test');
const INSTALL_DIR = path.join(CACHE_ROOT, `code-server-${VERSION}`);
const LOCK_DIR = `${INSTALL_DIR}.lock`;
// Full output of every command of the last provisioning run; kept outside
// INSTALL_DIR so it survives the removal of a failed install.
const LOG_FILE = `${INSTALL_DIR}.log`;
// Written last, only when every step succeeded: its presence is what makes an
// install "complete". Anything in INSTALL_DIR without it is a leftover.
const MARKER = '.provisioned';

/** Chromium drives the workbench; the rest build code-server's native modules; ripgrep replaces @vscode/ripgrep's download. */
const BROWSER_PACKAGES = ['chromium'];
const BUILD_PACKAGES = [
  'build-essential', 'pkg-config', 'python3',
  'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev',
  'ripgrep',
];
const DEBIAN_PACKAGES = [...BROWSER_PACKAGES, ...BUILD_PACKAGES];

const STEP_TIMEOUT_MS = 15 * 60 * 1000;
const defaultLog = (line) => console.error(line);

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function tailLines(text, count = 30) {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/**
 * Run one named step, log one line with its duration (and the string fn
 * returns, as a short summary), and turn any failure into an Error that names
 * the step (run() already attaches the tail of the command's output).
 */
async function step(log, name, fn) {
  const started = Date.now();
  let result;
  try {
    result = await fn();
  } catch (error) {
    log(`[code-server] ✗ ${name} (${seconds(Date.now() - started)})`);
    if (!String(error && error.message).includes(`step "${name}"`)) {
      error.message = `code-server provisioning: step "${name}" failed: ${error.message}`;
    }
    throw error;
  }
  const detail = typeof result === 'string' && result ? ` – ${result}` : '';
  log(`[code-server] ✓ ${name}${detail} (${seconds(Date.now() - started)})`);
  return result;
}

/**
 * Environment for the commands we run: the same Node as this process comes first
 * on PATH (so npm, node-gyp and the native modules agree on one Node ABI), and
 * node-gyp builds against this Node's own headers instead of downloading them
 * from nodejs.org (unreachable on the machines this is for).
 */
function toolEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  env.PATH = [path.dirname(process.execPath), env.PATH].filter(Boolean).join(path.delimiter);
  // (An npm_config_nodedir already in the environment wins; one in an .npmrc
  // does not, as these headers are the right ones for the Node that runs.)
  const nodeDir = path.resolve(path.dirname(process.execPath), '..');
  if (!env.npm_config_nodedir && fs.existsSync(path.join(nodeDir, 'include', 'node', 'node_version.h'))) {
    env.npm_config_nodedir = nodeDir;
  }
  return env;
}

/**
 * Run a command; resolve with its combined output, reject with an Error that
 * carries the tail of that output. Everything is also appended to LOG_FILE.
 */
function run(cmd, args, { cwd, env, timeoutMs = STEP_TIMEOUT_MS } = {}) {
  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  return new Promise((resolve, reject) => {
    const commandLine = `${cmd} ${args.join(' ')}`;
    fs.appendFileSync(LOG_FILE, `\n$ (cd ${cwd || process.cwd()} && ${commandLine})\n`);
    const child = childProcess.spawn(cmd, args, { cwd, env: env || toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk) => {
      const text = chunk.toString();
      fs.appendFileSync(LOG_FILE, text);
      output = (output + text).slice(-256 * 1024);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run \`${commandLine}\`: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(output);
      const why = timedOut ? `timed out after ${seconds(timeoutMs)}` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(new Error(`\`${commandLine}\` in ${cwd || process.cwd()} ${why}.\n` +
        `--- last lines of its output (all of it: ${LOG_FILE}) ---\n${tailLines(output)}`));
    });
  });
}

// ---------------------------------------------------------------------------
// Debian packages
// ---------------------------------------------------------------------------

let aptUpdated = false; // `apt-get update` at most once per process

/** Names among `names` that dpkg does not report as installed ("ii"). */
function missingDebianPackages(names) {
  const result = childProcess.spawnSync('dpkg-query', ['-W', '-f=${Package}\t${db:Status-Abbrev}\n', ...names], { encoding: 'utf8' });
  if (result.error) {
    throw new Error(`dpkg-query is not available (${result.error.code}): this needs a Debian-based system with these packages: ${names.join(' ')}`);
  }
  // dpkg-query exits 1 when some names are unknown; those simply do not appear in stdout.
  const installed = new Set(result.stdout.split('\n')
    .map((line) => line.split('\t'))
    .filter(([, status]) => status && status.startsWith('ii'))
    .map(([name]) => name.replace(/:.*$/, ''))); // strip ":amd64"
  return names.filter((name) => !installed.has(name));
}

/**
 * Make sure the given Debian packages are installed. As root, installs the
 * missing ones with apt-get; otherwise throws a one-line Error with the exact
 * command to run. Returns the names that were installed (empty if none).
 */
async function ensureDebianPackages(names, { log = defaultLog } = {}) {
  let missing = [];
  await step(log, 'check Debian packages', async () => {
    missing = missingDebianPackages(names);
    return missing.length ? `missing: ${missing.join(' ')}` : `all ${names.length} present`;
  });
  if (missing.length === 0) return [];

  const installArgs = ['install', '-y', '--no-install-recommends', ...missing];
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`Missing Debian packages (${missing.join(' ')}); run: sudo apt-get update && sudo apt-get ${installArgs.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    await step(log, 'apt-get update', async () => { await run('apt-get', ['update'], { env }); });
    aptUpdated = true;
  }
  await step(log, `apt-get install ${missing.join(' ')}`, async () => {
    await run('apt-get', installArgs, { env });
    const still = missingDebianPackages(missing);
    if (still.length) throw new Error(`apt-get finished but these are still not installed: ${still.join(' ')}`);
  });
  return missing;
}

// ---------------------------------------------------------------------------
// Provisioning
// ---------------------------------------------------------------------------

function entryOf(dir) {
  return path.join(dir, 'out', 'node', 'entry.js');
}

function isComplete(dir) {
  try {
    return fs.readFileSync(path.join(dir, MARKER), 'utf8').trim() === VERSION && fs.existsSync(entryOf(dir));
  } catch {
    return false;
  }
}

function checkNodeVersion() {
  // code-server 4.100.x declares engines.node "20"; its native modules are built
  // for, and it is started with, this very Node (process.execPath).
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    throw new Error(`code-server ${VERSION} needs Node 20, but this is Node ${process.versions.node}`);
  }
}

/** Serialize concurrent provisioners (two test runs at once) with a lock directory. */
async function withLock(log, fn) {
  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  const pidFile = path.join(LOCK_DIR, 'pid');
  let waitingLogged = false;
  const deadline = Date.now() + 30 * 60 * 1000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(pidFile, String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let ageMs;
    try { ageMs = Date.now() - fs.statSync(LOCK_DIR).mtimeMs; } catch { continue; } // just released
    let owner = 0;
    try { owner = Number(fs.readFileSync(pidFile, 'utf8')) || 0; } catch { /* not written yet */ }
    const ownerAlive = owner > 0 && (() => {
      try { process.kill(owner, 0); return true; } catch (e) { return e.code === 'EPERM'; }
    })();
    // Without a pid the lock is only stale once it is old: its owner may be
    // between mkdir and writeFile.
    if (owner > 0 ? !ownerAlive : ageMs > 10000) {
      fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for the provisioning lock ${LOCK_DIR} (held by pid ${owner})`);
    if (!waitingLogged) {
      log(`[code-server] another process (pid ${owner || '?'}) is provisioning; waiting for it`);
      waitingLogged = true;
    }
    await sleep(1000);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/**
 * Make code-server VERSION available in <repo>/.vscode-test/code-server-VERSION.
 * Returns at once when a completed install is there.
 * @returns {Promise<{dir: string, entry: string, version: string}>}
 */
async function provisionCodeServer({ log = defaultLog } = {}) {
  checkNodeVersion();
  const result = { dir: INSTALL_DIR, entry: entryOf(INSTALL_DIR), version: VERSION };
  if (isComplete(INSTALL_DIR)) return result;

  return withLock(log, async () => {
    if (isComplete(INSTALL_DIR)) return result; // another process finished it while we waited
    const started = Date.now();
    fs.writeFileSync(LOG_FILE, `provisioning code-server ${VERSION} on ${new Date().toISOString()}\n`);
    log(`[code-server] provisioning ${VERSION} into ${path.relative(REPO_ROOT, INSTALL_DIR)} (a few minutes; log: ${path.relative(REPO_ROOT, LOG_FILE)})`);
    await install(log);
    fs.writeFileSync(path.join(INSTALL_DIR, MARKER), `${VERSION}\n`);
    log(`[code-server] provisioned ${VERSION} in ${seconds(Date.now() - started)}`);
    return result;
  });
}

async function install(log) {
  const dir = INSTALL_DIR;
  const vscodeDir = path.join(dir, 'lib', 'vscode');
  const extensionsDir = path.join(vscodeDir, 'extensions');

  await ensureDebianPackages(DEBIAN_PACKAGES, { log });

  if (fs.existsSync(dir)) {
    await step(log, 'remove unfinished install', async () => fs.rmSync(dir, { recursive: true, force: true }));
  }

  // `npm install code-server` fails here (see the doc), so: fetch the tarball,
  // unpack it, and do what its postinstall.sh would do, minus the downloads.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-pack-'));
  try {
    let tarball;
    await step(log, `npm pack code-server@${VERSION}`, async () => {
      await run('npm', ['pack', `code-server@${VERSION}`, '--pack-destination', tmp], { cwd: tmp });
      const found = fs.readdirSync(tmp).filter((name) => name.endsWith('.tgz'));
      if (found.length !== 1) throw new Error(`expected one .tgz in ${tmp}, found: ${found.join(', ') || 'none'}`);
      tarball = path.join(tmp, found[0]);
      return `${(fs.statSync(tarball).size / 1e6).toFixed(0)} MB`;
    });
    await step(log, 'unpack', async () => {
      fs.mkdirSync(dir, { recursive: true });
      await run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
      if (!fs.existsSync(entryOf(dir))) throw new Error(`${entryOf(dir)} is missing after unpacking`);
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  // Three separate npm projects, each with its own npm-shrinkwrap.json:
  //  - the top: code-server's own server (express, ws, argon2, ...);
  //  - lib/vscode: VS Code's server side (node-pty, spdlog, kerberos, ...);
  //  - lib/vscode/extensions: only `typescript`, used by the built-in
  //    TypeScript/JavaScript and HTML language features. The workbench starts
  //    without it, but those built-in extensions would then fail; it costs ~1 s.
  // --ignore-scripts: install scripts would try GitHub downloads (rg, prebuilt
  // binaries); the native builds are done explicitly below instead.
  const npmInstall = (cwd) => async () => {
    await run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd });
  };
  await step(log, 'npm install (top)', npmInstall(dir));
  await step(log, 'npm install (lib/vscode)', npmInstall(vscodeDir));
  await step(log, 'npm install (lib/vscode/extensions)', npmInstall(extensionsDir));
  // That project's own postinstall (skipped by --ignore-scripts) only trims the
  // typescript package down to what the extensions use; no network.
  await step(log, 'extensions postinstall.mjs', async () => { await run(process.execPath, ['postinstall.mjs'], { cwd: extensionsDir }); });

  // Native modules. `npm rebuild <pkg>` runs the package's install scripts even
  // though npm 11 warns they are "not yet covered by allowScripts" (a warning,
  // unless the user's npm config sets strict-allow-scripts).
  //  - argon2 (node-pre-gyp) and kerberos (prebuild-install) would first try to
  //    download a prebuilt binary from GitHub; npm_config_build_from_source
  //    makes them compile at once instead of probing the network (npm itself
  //    warns that it does not know this config; the scripts it runs do);
  //  - node-pty's postinstall runs `npx node-gyp` (only to write a
  //    compile_commands.json), which without npm_config_yes stops at npx's
  //    "install node-gyp?" prompt and fails;
  //  - JOBS=max: node-gyp runs make with one job per core.
  // Not rebuilt, on purpose: @parcel/watcher ships its binary in an optional
  // dependency from the npm registry (@parcel/watcher-linux-x64-glibc) and its
  // install script only builds when asked to; @vscode/deviceid and
  // @vscode/windows-* have native code only on Windows.
  // npm_config_unsafe_perm is not needed: it only matters to code-server's own
  // postinstall.sh, which we do not run.
  const rebuild = (cwd, pkg, env = {}) => step(log, `npm rebuild ${pkg}`, async () => {
    await run('npm', ['rebuild', pkg, '--foreground-scripts'], { cwd, env: toolEnv({ JOBS: 'max', ...env }) });
  });
  const fromSource = { npm_config_build_from_source: 'true' };
  await rebuild(dir, 'argon2', fromSource);
  await rebuild(vscodeDir, 'kerberos', fromSource);
  await rebuild(vscodeDir, 'node-pty', { npm_config_yes: 'true' });
  await rebuild(vscodeDir, '@vscode/spdlog');
  await rebuild(vscodeDir, 'native-watchdog');

  // @vscode/ripgrep's postinstall downloads rg from GitHub; Debian's is equivalent.
  await step(log, 'copy /usr/bin/rg', async () => {
    const rgDir = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
    fs.mkdirSync(rgDir, { recursive: true });
    fs.copyFileSync('/usr/bin/rg', path.join(rgDir, 'rg'));
    fs.chmodSync(path.join(rgDir, 'rg'), 0o755);
    return (await run(path.join(rgDir, 'rg'), ['--version'])).split('\n')[0];
  });

  // The links code-server's postinstall.sh makes (vscode_install / symlink_*):
  await step(log, 'postinstall.sh links', async () => {
    const links = [
      // VS Code and extensions look for files (rg, wasm) under node_modules.asar.
      [vscodeDir, 'node_modules', 'node_modules.asar'],
      // The `code-server` CLI inside the integrated terminal, and the browser helper.
      [path.join(vscodeDir, 'bin', 'remote-cli'), 'code-linux.sh', 'code-server'],
      [path.join(vscodeDir, 'bin', 'helpers'), 'browser-linux.sh', 'browser.sh'],
    ];
    for (const [where, target, name] of links) {
      if (!fs.existsSync(path.join(where, target))) throw new Error(`${path.join(where, target)} does not exist`);
      fs.rmSync(path.join(where, name), { recursive: true, force: true });
      fs.symlinkSync(target, path.join(where, name));
    }
  });

  await step(log, 'load native modules', () => run(process.execPath, ['-e', `
    const path = require('path');
    const dir = ${JSON.stringify(dir)};
    const vs = (p) => path.join(dir, 'lib/vscode/node_modules', p);
    for (const m of [path.join(dir, 'node_modules/argon2'), vs('node-pty'), vs('@vscode/spdlog'),
                     vs('native-watchdog'), vs('kerberos'), vs('@parcel/watcher')]) require(m);
  `]).then(() => '6 ok'));

  await step(log, 'smoke start', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-smoke-'));
    try {
      const server = await startCodeServer({
        entry: entryOf(dir), workspace: scratch,
        userDataDir: path.join(scratch, 'user-data'), extensionsDir: path.join(scratch, 'extensions'),
        log: () => {},
      });
      await server.stop();
      return `answered HTTP after ${seconds(server.startupMs)}`;
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
}

// ---------------------------------------------------------------------------
// Starting code-server
// ---------------------------------------------------------------------------

/** A free TCP port on 127.0.0.1 (the OS picks one for port 0). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function httpAnswers(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

// code-server runs as a process group of its own (so that stop() can end all of
// it: server, extension hosts, pty host, watchers). Being detached, it would not
// get the terminal's Ctrl-C, so we end still-running groups when this process
// exits or is interrupted.
const runningGroups = new Set();
function killGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}
function onParentSignal(signal) {
  for (const pid of runningGroups) killGroup(pid, 'SIGKILL');
  runningGroups.clear();
  // Let the signal do what it would have done without us, unless someone else handles it.
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onParentSignal);
    process.kill(process.pid, signal);
  }
}
function track(pid) {
  if (runningGroups.size === 0) {
    process.on('exit', onParentExit);
    process.on('SIGINT', onParentSignal);
    process.on('SIGTERM', onParentSignal);
  }
  runningGroups.add(pid);
}
function untrack(pid) {
  runningGroups.delete(pid);
  if (runningGroups.size === 0) {
    process.removeListener('exit', onParentExit);
    process.removeListener('SIGINT', onParentSignal);
    process.removeListener('SIGTERM', onParentSignal);
  }
}
function onParentExit() {
  for (const pid of runningGroups) killGroup(pid, 'SIGKILL');
}

/**
 * Start code-server on 127.0.0.1 and a free port; resolve once HTTP GET /
 * answers.
 * @returns {Promise<{url: string, port: number, startupMs: number, child: import('child_process').ChildProcess,
 *                    output: () => string, stop: () => Promise<void>}>}
 */
async function startCodeServer({
  entry, workspace, userDataDir, extensionsDir,
  log = defaultLog, extraArgs = [], env = {}, timeoutMs = 30000,
}) {
  for (const [name, value] of Object.entries({ entry, workspace, userDataDir, extensionsDir })) {
    if (!value) throw new Error(`startCodeServer: ${name} is required`);
  }
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    // Otherwise code-server creates ~/.config/code-server/config.yaml.
    '--config', path.join(userDataDir, 'code-server-config.yaml'),
    ...extraArgs,
    workspace,
  ];
  const childEnv = { ...process.env, ...env };
  // These would silently change what starts: inside a code-server/VS Code
  // terminal VSCODE_IPC_HOOK_CLI makes code-server hand the folder to that
  // instance and exit; PORT and CODE_SERVER_HOST override --bind-addr;
  // the others would switch on a password or GitHub auth.
  for (const name of ['VSCODE_IPC_HOOK_CLI', 'PORT', 'CODE_SERVER_HOST', 'CODE_SERVER_CONFIG',
    'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN']) {
    if (!(name in env)) delete childEnv[name];
  }

  const started = Date.now();
  const child = childProcess.spawn(process.execPath, args, {
    env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => { output = (output + chunk.toString()).slice(-256 * 1024); };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let hasExited = false;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => resolve({ error })); // could not spawn: there is no 'exit'
  }).then((how) => { hasExited = true; return how; });
  if (child.pid) track(child.pid);

  let stopping;
  const stop = () => {
    stopping = stopping || (async () => {
      if (!child.pid) return; // never started
      if (!hasExited) {
        killGroup(child.pid, 'SIGTERM');
        let timer;
        const graceful = await Promise.race([
          exited.then(() => true),
          new Promise((resolve) => { timer = setTimeout(resolve, 5000, false); }),
        ]);
        clearTimeout(timer); // a pending timer would keep the caller's process alive
        if (!graceful) log(`[code-server] pid ${child.pid} ignored SIGTERM for 5 s; killing it`);
      }
      // Also ends helpers that outlived the main process.
      killGroup(child.pid, 'SIGKILL');
      await exited;
      untrack(child.pid);
    })();
    return stopping;
  };

  for (;;) {
    if (await httpAnswers(port)) break;
    const failure = await Promise.race([exited, sleep(100).then(() => null)]);
    if (failure || Date.now() - started > timeoutMs) {
      await stop();
      const why = failure && failure.error ? `could not start: ${failure.error.message}`
        : failure ? `exited (code ${failure.code}, signal ${failure.signal}) before answering HTTP`
          : `did not answer HTTP on ${url} within ${seconds(timeoutMs)}`;
      throw new Error(`code-server ${why}.\n--- last lines of its output ---\n${tailLines(output)}`);
    }
  }
  const startupMs = Date.now() - started;
  log(`[code-server] listening on ${url} (answered HTTP after ${seconds(startupMs)}, pid ${child.pid})`);
  return { url, port, startupMs, child, output: () => output, stop };
}

module.exports = {
  VERSION, INSTALL_DIR, DEBIAN_PACKAGES, BROWSER_PACKAGES, BUILD_PACKAGES,
  provisionCodeServer, ensureDebianPackages, startCodeServer,
};

if (require.main === module) {
  (async () => {
    const t0 = Date.now();
    const { entry } = await provisionCodeServer();
    console.error(`[code-server] provisionCodeServer() took ${seconds(Date.now() - t0)}`);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-smoke-'));
    try {
      const t1 = Date.now();
      const server = await startCodeServer({
        entry, workspace: scratch,
        userDataDir: path.join(scratch, 'user-data'), extensionsDir: path.join(scratch, 'extensions'),
      });
      await server.stop();
      console.error(`[code-server] smoke check: start + first HTTP answer + stop took ${seconds(Date.now() - t1)}`);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    console.log(entry);
  })().catch((error) => {
    console.error(error && error.message ? error.message : error);
    process.exitCode = 1;
  });
}

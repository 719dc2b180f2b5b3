#!/usr/bin/env node
// Provision a real VS Code (1.100.3, as packaged by code-server 4.100.3) for the
// extension's integration tests, on machines that reach only the npm registry and
// Debian's apt repositories: `@vscode/test-electron` and `@vscode/test-web` download
// VS Code from Microsoft and cannot run there, and a plain `npm install code-server`
// fails there (install() below says why, and does what it would have done).
//
// Usage:
//   node scripts/vscode/provision.js      provision (if needed), smoke-start once, print entry path
//   require('./scripts/vscode/provision') { provisionCodeServer }
//
// Standard library only: this runs before (and independently of) `npm install`.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { CHROMIUM_PACKAGES } = require('../chromium');
const { startCodeServer } = require('./codeServer');
const { ensureDebianPackages } = require('./debian');
const { defaultLog, run: runCommand, seconds, sleep, step, toolEnv } = require('./commands');

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

/** These build code-server's native modules; ripgrep replaces @vscode/ripgrep's download. */
const BUILD_PACKAGES = [
  'build-essential', 'pkg-config', 'python3',
  'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev',
  'ripgrep',
];
/** With Chromium, which drives the workbench: all installed in one apt-get run. */
const DEBIAN_PACKAGES = [...CHROMIUM_PACKAGES, ...BUILD_PACKAGES];

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

/** Every command of a provisioning run appends its output to LOG_FILE. */
const run = (cmd, args, options = {}) => runCommand(cmd, args, { logFile: LOG_FILE, ...options });

async function install(log) {
  const dir = INSTALL_DIR;
  const vscodeDir = path.join(dir, 'lib', 'vscode');
  const extensionsDir = path.join(vscodeDir, 'extensions');

  await ensureDebianPackages(DEBIAN_PACKAGES, { log });

  if (fs.existsSync(dir)) {
    await step(log, 'remove unfinished install', async () => fs.rmSync(dir, { recursive: true, force: true }));
  }

  // `npm install code-server` fails here (as root its postinstall refuses; the native
  // module kerberos needs Debian's headers; @vscode/ripgrep downloads rg from GitHub),
  // so: fetch the tarball, unpack it, and do what its postinstall.sh would do, minus
  // the downloads.
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

module.exports = { VERSION, provisionCodeServer };

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

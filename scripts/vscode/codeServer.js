// Starting code-server (VS Code in a browser) on 127.0.0.1 and stopping it, with
// every process it started. Standard library only.
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { defaultLog, seconds, sleep, tailLines } = require('./commands');

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

module.exports = { startCodeServer };

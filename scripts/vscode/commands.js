// Running the commands of a setup step: one logged line per step, and failures
// that carry the tail of the command's output. Standard library only.
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const STEP_TIMEOUT_MS = 15 * 60 * 1000;
const defaultLog = (line) => console.error(line);

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
async function step(log, name, fn, tag = 'code-server') {
  const started = Date.now();
  let result;
  try {
    result = await fn();
  } catch (error) {
    log(`[${tag}] ✗ ${name} (${seconds(Date.now() - started)})`);
    if (!String(error && error.message).includes(`step "${name}"`)) {
      error.message = `${tag} setup: step "${name}" failed: ${error.message}`;
    }
    throw error;
  }
  const detail = typeof result === 'string' && result ? ` – ${result}` : '';
  log(`[${tag}] ✓ ${name}${detail} (${seconds(Date.now() - started)})`);
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
 * carries the tail of that output. With `logFile`, everything is also appended there.
 */
function run(cmd, args, { cwd, env, timeoutMs = STEP_TIMEOUT_MS, logFile } = {}) {
  const record = (text) => logFile && fs.appendFileSync(logFile, text);
  return new Promise((resolve, reject) => {
    const commandLine = `${cmd} ${args.join(' ')}`;
    record(`\n$ (cd ${cwd || process.cwd()} && ${commandLine})\n`);
    const child = childProcess.spawn(cmd, args, { cwd, env: env || toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk) => {
      const text = chunk.toString();
      record(text);
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
        `--- last lines of its output${logFile ? ` (all of it: ${logFile})` : ''} ---\n${tailLines(output)}`));
    });
  });
}

module.exports = { defaultLog, sleep, seconds, tailLines, step, toolEnv, run };

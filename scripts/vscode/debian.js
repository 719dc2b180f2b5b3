// Debian packages a tier needs (Chromium, build headers, ripgrep): installed with
// apt-get when missing and we are root, otherwise one line saying what to run.
'use strict';

const childProcess = require('node:child_process');
const { defaultLog, run, step: runStep } = require('./commands');

const step = (log, name, fn) => runStep(log, name, fn, 'debian');
let aptUpdated = false;

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

module.exports = { ensureDebianPackages };

import type { Browser } from 'playwright-core';

interface Provisioning {
  ensureDebianPackages(names: string[], options?: { log?: (line: string) => void }): Promise<string[]>;
}

// Plain JavaScript, so it runs before anything is compiled; typed here for the tests.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const provisioning = require('../../../scripts/vscode/debian') as Provisioning;

/** Flags for Debian's Chromium on a machine with a closed network, run as root. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Debian's Chromium through playwright-core (never a downloaded browser). Installs the
 * package first when it is missing and we are root; otherwise fails with the command to run.
 */
export async function launchChromium(): Promise<Browser> {
  await provisioning.ensureDebianPackages(['chromium'], { log: () => {} });
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

import type { Browser } from 'playwright-core';

/** scripts/chromium.js (plain JavaScript, so that the scripts can use it before anything is compiled), typed. */
interface ChromiumLauncher {
  /**
   * Debian's Chromium through playwright-core, headless, with the flags for a closed network
   * and then `extraArgs`. Installs the package first when it is missing and we are root.
   */
  launchChromium(options?: { log?: (line: string) => void; extraArgs?: string[] }): Promise<Browser>;
}

export const { launchChromium } = require('../../../scripts/chromium') as ChromiumLauncher;

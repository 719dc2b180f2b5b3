#!/usr/bin/env node
// Renders media/icon.png (the Marketplace's 128 × 128 icon, package.json "icon") from
// media/icon.svg (the panel's icon), in Debian's Chromium: the SVG on a dark rounded square,
// the gallery banner's colour, so its blue lines read on light and dark pages alike.
// Run it after changing media/icon.svg, and commit the PNG: `node scripts/renderIcon.js`.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { launchChromium } = require('./chromium');

const MEDIA = path.resolve(__dirname, '..', 'media');
const SIZE = 128;
const BACKGROUND = require('../package.json').galleryBanner.color;

async function main() {
  const svg = fs.readFileSync(path.join(MEDIA, 'icon.svg'), 'utf8').replace('width="16" height="16"', 'width="96" height="96"');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
    await page.setContent(`<body style="margin:0;background:transparent"><div id="icon" style="width:${SIZE}px;height:${SIZE}px;border-radius:24px;background:${BACKGROUND};display:flex;align-items:center;justify-content:center">${svg}</div></body>`);
    await page.locator('#icon').screenshot({ path: path.join(MEDIA, 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

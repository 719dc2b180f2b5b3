#!/usr/bin/env node
// The CLI is bundled into dist/ by `npm run build` (run for you by `npm ci` / `npm install`).
require('../dist/cli.js');

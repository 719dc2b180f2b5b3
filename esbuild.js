// Bundles every runtime piece of the extension into dist/:
//   extension.js        the VS Code extension host side (Node, CommonJS, `vscode` left external)
//   trainerWorker.js    the trainer, run in a worker thread by the host
//   traceWriterWorker.js  Save Trace: the trainer again, its full trace streamed to a file
//   loaderWorker.js     a config's check and its data file's reading, off the host's thread
//   cli.js              the `training-trace` command line (Node)
//   webview/webview.js  the panel's script (browser, one IIFE), alone in its folder
// Flags: --watch rebuilds on change; --production minifies and drops source maps.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * In watch mode, prints what the "npm: watch" task's problem matcher (.vscode/tasks.json) reads:
 *   [watch] build started
 *   ✘ [ERROR] <text>
 *       <file>:<line>:<column>:
 *   [watch] build finished
 * "started" when the first build starts and "finished" when the last one running ends, so that
 * F5 waits for all of dist/. Columns count from 1, as VS Code's do (esbuild's from 0).
 */
let running = 0;
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    if (!watch) return;
    build.onStart(() => {
      if (running++ === 0) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column + 1}:`);
      }
      if (--running === 0) console.log('[watch] build finished');
    });
  },
};

/** What both builds share. */
const shared = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [problemMatcher],
};

const node = {
  ...shared,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's UMD entry loads its parts with a dynamic require that cannot be bundled; its ESM entry can.
  mainFields: ['module', 'main'],
  outdir: 'dist',
};

const builds = [
  {
    ...node,
    external: ['vscode'],
    entryPoints: { extension: 'src/extension.ts' },
    // The extension reports how long its own code took to load (its API's `activation`), from here;
    // the directive first, so the bundle stays in strict mode.
    banner: { js: '"use strict";\nconst __trainingTraceLoadStart = performance.now();' },
  },
  { ...node, entryPoints: { trainerWorker: 'src/worker/trainerWorker.ts', traceWriterWorker: 'src/worker/traceWriterWorker.ts', loaderWorker: 'src/worker/loaderWorker.ts', cli: 'src/cli/index.ts' } },
  {
    ...shared,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    entryPoints: { webview: 'webview/main.ts' },
    // Its own folder: the panel may read only what is in it (localResourceRoots).
    outdir: 'dist/webview',
  },
];

async function main() {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// Bundles every runtime piece of the extension into dist/:
//   extension.js      the VS Code extension host side (Node, CommonJS, `vscode` left external)
//   trainerWorker.js  the trainer, run in a worker thread by the host
//   cli.js            the `training-trace` command line (Node)
//   webview/webview.js the panel's script (browser, one IIFE), alone in its folder
// Flags: --watch rebuilds on change; --production minifies and drops source maps.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the shape of VS Code's esbuild problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    if (!watch) return;
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's UMD entry loads its parts with a dynamic require that cannot be bundled; its ESM entry can.
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [problemMatcher],
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts', trainerWorker: 'src/worker/trainerWorker.ts', cli: 'src/cli/index.ts' }, outdir: 'dist', external: ['vscode'] },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    plugins: [problemMatcher],
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

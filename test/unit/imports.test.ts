import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './helpers';

/**
 * The shape of the code, checked from its import statements: no cycle between files, the
 * core's folders in layers that only import downwards, and each zone (core, shared, host,
 * worker, CLI, panel) importing only what it may.
 */

/**
 * The core's folders, lowest first: a folder may import only from folders before it.
 * `traceFile` (reading trace files back into the run model) is last: it builds on the trace's
 * events, the run's summary and the tree's phrases.
 */
const CORE_LAYERS = ['words', '.', 'validation', 'config', 'data', 'model', 'train', 'trace', 'run', 'outline', 'load', 'traceFile'];

/** What each zone may import, besides itself: zones of this repository, and packages. */
const ZONES: Record<string, { zones: string[]; packages: RegExp }> = {
  'src/core': { zones: [], packages: /^(node:(fs|path)|jsonc-parser)$/ },
  'src/shared': { zones: ['src/core'], packages: /^$/ },
  // The trace writer streams a full trace to disk from its own thread.
  'src/worker': { zones: ['src/core'], packages: /^node:(worker_threads|fs)$/ },
  // The CLI reads its language's bundle from the package's l10n/ folder.
  'src/cli': { zones: ['src/core'], packages: /^node:(fs|path)$/ },
  'src/host': { zones: ['src/core', 'src/shared', 'src/worker'], packages: /^(vscode|node:[a-z_]+)$/ },
  'src/extension.ts': { zones: ['src/host', 'src/shared'], packages: /^vscode$/ },
  webview: { zones: ['src/core', 'src/shared'], packages: /^@vscode\/webview-ui-toolkit$/ },
};

interface Import {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** Every `import … from '…'` and `export … from '…'` of the sources, relative ones resolved to files. */
function imports(): Import[] {
  const files = [...sourceFiles('src'), ...sourceFiles('webview')];
  return files.flatMap((file) => {
    const text = fs.readFileSync(path.join(REPO, file), 'utf8');
    return [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+'([^']+)';/gms)].map(([, target]) => {
      if (!target.startsWith('.')) return { from: file, to: target };
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
      const candidates = [`${resolved}.ts`, `${resolved}/index.ts`];
      const to = candidates.find((candidate) => fs.existsSync(path.join(REPO, candidate)));
      assert.ok(to, `${file} imports ${target}, which is not a file`);
      return { from: file, to };
    });
  });
}

function zoneOf(file: string): string | undefined {
  return Object.keys(ZONES).find((zone) => file === zone || file.startsWith(`${zone}/`));
}

function coreFolder(file: string): string {
  const inside = file.slice('src/core/'.length);
  return inside.includes('/') ? inside.slice(0, inside.indexOf('/')) : '.';
}

/** Groups of nodes that reach each other (Tarjan): any group of more than one is a cycle. */
function cycles(edges: Import[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      for (let member = stack.pop()!; ; member = stack.pop()!) {
        onStack.delete(member);
        group.push(member);
        if (member === node) break;
      }
      if (group.length > 1 || (next.get(node) ?? []).includes(node)) found.push(group.sort());
    }
  };
  for (const node of new Set(edges.flatMap((e) => [e.from, e.to]))) if (!index.has(node)) visit(node);
  return found;
}

describe('the import graph of src/ and webview/', () => {
  const all = imports();
  const local = all.filter((i) => i.to.endsWith('.ts'));

  it('reads the imports of every source file', () => {
    assert.ok(local.length > 150, `${local.length} imports between files`);
    assert.ok(local.some((i) => i.from === 'src/core/outline/describe.ts' && i.to === 'src/core/outline/corrections.ts'));
  });

  it('has no cycle between files', () => {
    assert.deepEqual(cycles(local), []);
  });

  it('has the core’s folders in layers that only import downwards, so no cycle between folders either', () => {
    const upward = local
      .filter((i) => i.from.startsWith('src/core/') && i.to.startsWith('src/core/'))
      .filter((i) => CORE_LAYERS.indexOf(coreFolder(i.to)) > CORE_LAYERS.indexOf(coreFolder(i.from)))
      .map((i) => `${i.from} → ${i.to}`);
    assert.deepEqual(upward, []);
    const folders = new Set(sourceFiles('src/core').map(coreFolder));
    assert.deepEqual([...folders].filter((f) => !CORE_LAYERS.includes(f)), [], 'every core folder has its place in the layers');
  });

  it('keeps each zone to what it may import', () => {
    const wrong = all
      .filter((i) => {
        const zone = zoneOf(i.from);
        if (!zone) return true;
        const rule = ZONES[zone];
        if (!i.to.endsWith('.ts')) return !rule.packages.test(i.to);
        const target = zoneOf(i.to);
        return target !== zone && !rule.zones.includes(target ?? '');
      })
      .map((i) => `${i.from} → ${i.to}`);
    assert.deepEqual(wrong, []);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');
const VSIX = path.join(REPO, 'training-trace.vsix');
const MAX_BYTES = 2 * 1024 * 1024;

/** The names of a zip's entries, from its central directory (a .vsix is a zip). */
function zipEntries(zip: Buffer): string[] {
  // The end-of-central-directory record: its signature, searched from the end (a comment may follow it).
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, 'a zip file');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** What `npm run package` makes: small, and only what the extension needs at run time. */
describe('the packaged .vsix', () => {
  it('is under 2 MB and holds the bundles, the manifest’s files and the walkthrough, without sources, tests or maps', () => {
    const zip = fs.readFileSync(VSIX);
    console.log(`      training-trace.vsix: ${(zip.length / 1024).toFixed(0)} KB`);
    assert.ok(zip.length < MAX_BYTES, `${zip.length} bytes`);
    const files = zipEntries(zip).filter((name) => name.startsWith('extension/')).map((name) => name.slice('extension/'.length));
    const unwanted = files.filter((name) => /\.(ts|map|tsbuildinfo)$|^(src|webview|test|scripts|out|bin|node_modules|\.vscode|\.ci)\/|^esbuild\.js$|^dist\/cli\.js$/.test(name));
    assert.deepEqual(unwanted, []);
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    const nlsFiles = fs.readdirSync(REPO).filter((name) => /^package\.nls(\.[\w-]+)?\.json$/.test(name));
    const resolveNls = (text: string, file: string) => /^%([\w.-]+)%$/.test(text) ? (JSON.parse(fs.readFileSync(path.join(REPO, file), 'utf8')) as Record<string, string>)[text.slice(1, -1)] : text;
    const walkthroughMedia: string[] = manifest.contributes.walkthroughs.flatMap((w: { steps: { media: { svg?: string; image?: string; markdown?: string } }[] }) => w.steps.map((s) => s.media.svg ?? s.media.image ?? s.media.markdown));
    const needed = [
      'package.json',
      'package.nls.json',
      manifest.main.replace(/^\.\//, ''),
      'dist/trainerWorker.js',
      'dist/webview/webview.js',
      'media/panel.css',
      manifest.icon,
      // The config's schema in every language: its url is a %key% that each package.nls*.json resolves.
      ...nlsFiles.flatMap((file) => manifest.contributes.jsonValidation.map((v: { url: string }) => resolveNls(v.url, file).replace(/^\.\//, ''))),
      'examples/question.training.json',
      ...walkthroughMedia,
      // Every language: the manifest's texts and the catalogue's bundle (where manifest.l10n points).
      ...fs.readdirSync(REPO).filter((name) => /^package\.nls\.[\w-]+\.json$/.test(name)),
      ...fs.readdirSync(path.join(REPO, manifest.l10n)).map((name) => path.posix.join(manifest.l10n.replace(/^\.\//, ''), name)),
    ];
    assert.deepEqual(needed.filter((name) => !files.includes(name)), []);
  });
});

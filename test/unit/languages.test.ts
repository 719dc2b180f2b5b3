import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENGLISH } from '../../src/core/words/english';
import { REPO } from './helpers';

/**
 * The second language is complete and current. Its bundle (VS Code's l10n format, keyed by the
 * English sentence) and its package.nls are read as shipped; the catalogue is read as it is now,
 * so a message added in English fails here until it is translated, and a sentence changed in
 * English leaves its old translation unused, which fails too.
 */
const LANGUAGES = ['zh-cn'];

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO, file), 'utf8')) as Record<string, string>;
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
/** What a manifest text keeps in every language: placeholders, links to commands, `code`. */
const kept = (text: string) => [...text.matchAll(/\{\w+\}|\(command:[\w.]+\)|`[^`]+`/g)].map((m) => m[0]).sort();

for (const language of LANGUAGES) {
  describe(`the words in ${language}`, () => {
    const bundle = readJson(`l10n/bundle.l10n.${language}.json`);
    const english = ENGLISH as Record<string, string>;
    const sentences = new Set(Object.values(english));

    it('translates every message of the catalogue', () => {
      const missing = Object.entries(english).filter(([, text]) => !(text in bundle)).map(([id, text]) => `${id}: ${JSON.stringify(text)}`);
      assert.deepEqual(missing, [], `l10n/bundle.l10n.${language}.json lacks these messages`);
    });

    it('holds no translation of a sentence the catalogue no longer says', () => {
      assert.deepEqual(Object.keys(bundle).filter((text) => !sentences.has(text)), []);
    });

    it('keeps every placeholder of each sentence, and adds none', () => {
      const differ = Object.entries(bundle)
        .filter(([text, translation]) => sentences.has(text) && placeholders(text).join() !== placeholders(translation).join())
        .map(([text, translation]) => `${JSON.stringify(text)} -> ${JSON.stringify(translation)}`);
      assert.deepEqual(differ, []);
    });

    it('translates every text of the manifest, keeping its links, code and placeholders', () => {
      const nls = readJson('package.nls.json');
      const translated = readJson(`package.nls.${language}.json`);
      assert.deepEqual(Object.keys(translated).sort(), Object.keys(nls).sort());
      const differ = Object.keys(nls).filter((key) => kept(nls[key]).join() !== kept(translated[key]).join());
      assert.deepEqual(differ, []);
    });
  });
}

describe('the manifest and its languages', () => {
  it('points VS Code at the l10n folder, which the package keeps', () => {
    const manifest = readJson('package.json') as unknown as { l10n?: string };
    assert.equal(manifest.l10n, './l10n');
    const ignored = fs.readFileSync(path.join(REPO, '.vscodeignore'), 'utf8').split('\n').map((line) => line.trim());
    assert.ok(!ignored.some((line) => /^l10n\b|^\*\*\/\*\.json$/.test(line)), '.vscodeignore leaves l10n/ out of the .vsix');
  });
});

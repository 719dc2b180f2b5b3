import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './helpers';

interface SchemaTranslation {
  schemaWords(schema: unknown): string[];
  translatedSchemaText(language: string): string;
  schemaFile(language: string): string;
  SCHEMA: string;
}

// A plain script (it runs without a build): the one place that knows which of the schema's strings are words.
const translation = require(path.join(REPO, 'scripts', 'translateSchema.js')) as SchemaTranslation;

/**
 * The config's schema in Chinese: VS Code's JSON support offers its keys, values and snippets
 * with these explanations when the display language is zh-cn (the manifest's
 * `jsonValidation.url` is a %key% that package.nls.zh-cn.json points at the Chinese file).
 */
describe('the config schema in Chinese', () => {
  const words = translation.schemaWords(JSON.parse(fs.readFileSync(translation.SCHEMA, 'utf8')));
  const zh = JSON.parse(fs.readFileSync(path.join(REPO, 'l10n', 'schema.zh-cn.json'), 'utf8')) as Record<string, string>;

  it('translates every explanation, title and snippet label of the schema, and nothing that is not in it', () => {
    assert.ok(words.length > 50, `${words.length} strings`);
    assert.deepEqual(words.filter((text) => !(text in zh)), [], 'not translated');
    assert.deepEqual(Object.keys(zh).filter((text) => !words.includes(text)), [], 'translated but not in the schema');
  });

  it('keeps every piece of code, key and example exactly as the English has it', () => {
    const code = (text: string) => (text.match(/`[^`]*`/g) ?? []).sort();
    for (const text of words) assert.deepEqual(code(zh[text]), code(text), text);
  });

  it('is written as the script writes it (run node scripts/translateSchema.js after changing the schema)', () => {
    assert.equal(fs.readFileSync(translation.schemaFile('zh-cn'), 'utf8'), translation.translatedSchemaText('zh-cn'));
  });

  it('is the schema VS Code uses in each language: package.nls*.json give jsonValidation.url', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(manifest.contributes.jsonValidation.map((v: { url: string }) => v.url), ['%jsonValidation.url%']);
    const url = (file: string) => (JSON.parse(fs.readFileSync(path.join(REPO, file), 'utf8')) as Record<string, string>)['jsonValidation.url'];
    assert.equal(path.resolve(REPO, url('package.nls.json')), translation.SCHEMA);
    assert.equal(path.resolve(REPO, url('package.nls.zh-cn.json')), translation.schemaFile('zh-cn'));
  });
});

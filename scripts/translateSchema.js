#!/usr/bin/env node
// Writes schemas/training-config.schema.<language>.json: the config's JSON schema with its
// titles, descriptions, enum descriptions and snippet labels in another language, from
// l10n/schema.<language>.json (English text → translation, as the l10n bundles are). VS Code's
// manifest picks the schema of the display language (package.nls.<language>.json's
// `jsonValidation.url`). Run it after changing the schema's words; a test fails while the
// written file is not what this would write.
//   node scripts/translateSchema.js [zh-cn]
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const SCHEMA = path.join(REPO, 'schemas', 'training-config.schema.json');
/** The keys whose strings are words for the learner (the rest is structure, examples and code). */
const WORDS = new Set(['title', 'description', 'markdownDescription', 'label']);
const WORD_LISTS = new Set(['enumDescriptions', 'markdownEnumDescriptions']);
/** Values of the config itself (defaults, examples, a snippet's body): the learner's file, never translated. */
const CONFIG_VALUES = new Set(['default', 'examples', 'const', 'enum', 'body']);

/** Every string of the schema that a translation must say, once each, in document order. */
function schemaWords(node, found = []) {
  if (Array.isArray(node)) node.forEach((item) => schemaWords(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (WORDS.has(key) && typeof value === 'string') found.push(value);
      else if (WORD_LISTS.has(key) && Array.isArray(value)) found.push(...value);
      else if (!CONFIG_VALUES.has(key)) schemaWords(value, found);
    }
  }
  return [...new Set(found)];
}

/** The schema with each of its words replaced by the translation's; a missing one throws. */
function translateSchema(node, translation) {
  const say = (text) => {
    if (!(text in translation)) throw new Error(`no translation for: ${text}`);
    return translation[text];
  };
  if (Array.isArray(node)) return node.map((item) => translateSchema(item, translation));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      if (WORDS.has(key) && typeof value === 'string') return [key, say(value)];
      if (WORD_LISTS.has(key) && Array.isArray(value)) return [key, value.map(say)];
      if (CONFIG_VALUES.has(key)) return [key, value];
      return [key, translateSchema(value, translation)];
    }),
  );
}

function translatedSchemaText(language) {
  const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
  const translation = JSON.parse(fs.readFileSync(path.join(REPO, 'l10n', `schema.${language}.json`), 'utf8'));
  return `${JSON.stringify(translateSchema(schema, translation), null, 2)}\n`;
}

function schemaFile(language) {
  return path.join(REPO, 'schemas', `training-config.schema.${language}.json`);
}

module.exports = { schemaWords, translateSchema, translatedSchemaText, schemaFile, SCHEMA };

if (require.main === module) {
  const language = process.argv[2] ?? 'zh-cn';
  fs.writeFileSync(schemaFile(language), translatedSchemaText(language));
  console.log(`wrote ${path.relative(REPO, schemaFile(language))}`);
}

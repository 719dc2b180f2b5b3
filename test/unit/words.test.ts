import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { ENGLISH } from '../../src/core/words/english';
import { counted, label, list, rounded } from '../../src/core/words/label';
import { wordsFor } from '../../src/core/words/words';
import { REPO } from './helpers';

const CATALOGUE = 'src/core/words/english.ts';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

const SOURCES = [...sourceFiles('src'), ...sourceFiles('webview')].filter((file) => file !== CATALOGUE);

/** Every string and template literal of a source file, with the call it is an argument of. */
function literals(file: string): { text: string; line: number; callee: string }[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(REPO, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: { text: string; line: number; callee: string }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isLiteralTypeNode(node)) return;
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('…');
    if (text !== undefined) {
      let call: ts.Node = node.parent;
      while (ts.isTemplateSpan(call) || ts.isTemplateExpression(call) || ts.isBinaryExpression(call) || ts.isParenthesizedExpression(call)) call = call.parent;
      const callee = ts.isCallExpression(call) || ts.isNewExpression(call) ? call.expression.getText(source) : '';
      found.push({ text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, callee });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the catalogue of words', () => {
  const english = ENGLISH as Record<string, string>;

  it('holds every sentence the code says: none outside it', () => {
    // Words for a person reading the product. What only a developer sees is exempt: errors
    // thrown for impossible states and messages to the developer console.
    const developerOnly = /(^|\.)(warn|error|log)$|Error$|^super$/;
    const sentences = SOURCES.flatMap((file) =>
      literals(file)
        .filter(({ text, callee }) => /[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}/.test(text) && !developerOnly.test(callee))
        .map(({ text, line }) => `${file}:${line}: ${JSON.stringify(text)}`),
    );
    assert.deepEqual(sentences, []);
  });

  it('uses every message it holds', () => {
    const code = SOURCES.map((file) => fs.readFileSync(path.join(REPO, file), 'utf8')).join('\n');
    // Families said by a computed id: counted(n, 'noun') and `prefix.${…}` templates.
    const nouns = new Set([...code.matchAll(/counted\([^,]+, '(\w+)'\)/g)].map((m) => m[1]));
    const prefixes = [...code.matchAll(/`([\w.]+\.)\$\{/g)].map((m) => m[1]);
    const unused = Object.keys(english).filter((id) => {
      if (code.includes(`'${id}'`)) return false;
      const noun = /^count\.(\w+)\.(one|other)$/.exec(id)?.[1];
      if (noun && nouns.has(noun)) return false;
      return !prefixes.some((prefix) => id.startsWith(prefix));
    });
    assert.deepEqual(unused, []);
  });

  it('writes every placeholder as {name}, and no other braces', () => {
    for (const [id, template] of Object.entries(english)) {
      const stray = template.replace(/\{\w+\}/g, '').match(/\{/g);
      assert.equal(stray, null, `${id}: ${template}`);
    }
  });

  it('fills placeholders from the label, nested labels, rounded numbers and lists', () => {
    const words = wordsFor();
    assert.equal(words.text(label('node.epoch.loss', { epoch: 2, epochs: 3, batches: counted(10, 'batch'), loss: rounded(0.299812345) })), 'Executing epoch 2 of 3: 10 batches — mean loss 0.2998');
    assert.equal(words.text(counted(1, 'batch')), '1 batch');
    assert.equal(words.text(label('point.list', { points: list([label('point.name', { n: 3 }), label('point.name', { n: 9 })]) })), 'Data point-3, Data point-9');
    assert.equal(words.text(label('problem.dataForms', { found: list(['"inputs"', '"file"'], 'and') })), 'must have exactly one of "inputs" (with "targets"), "file" or "generate"; found "inputs" and "file"');
  });

  it('says a sentence in a bundle’s language, and in English where the bundle lacks it', () => {
    const words = wordsFor('xx', { 'Executing epoch {epoch} of {epochs}: {batches}': '{batches} / epoch {epoch} ({epochs})', '{n} batches': '{n} B' });
    assert.equal(words.text(label('node.epoch', { epoch: 1, epochs: 3, batches: counted(10, 'batch') })), '10 B / epoch 1 (3)');
    assert.equal(words.text(label('node.root')), 'Training');
  });
});

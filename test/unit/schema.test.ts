import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfigText } from '../../src/core/load/loadConfig';
import { problemLine, REPO, tempDir } from './helpers';

/**
 * The schema teaches as the learner types: every key explains itself with an example and its
 * default, every choice of an enumeration is described, and the snippets it offers are
 * configs that run. The examples and snippets are checked by loading them, as the extension does.
 */

interface SchemaNode {
  [key: string]: unknown;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  default?: unknown;
  enum?: unknown[];
  markdownDescription?: string;
  markdownEnumDescriptions?: string[];
  defaultSnippets?: { label: string; body: unknown }[];
}

const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'training-config.schema.json'), 'utf8')) as SchemaNode & { $defs: Record<string, SchemaNode> };

/** Every object of the schema that lists properties: the top level and each definition, by name. */
const OBJECTS: [string, SchemaNode][] = [['config', schema], ...Object.entries(schema.$defs).filter(([, node]) => node.properties)];

/**
 * A config that runs, and where in it each definition's object sits: an example of a key of
 * that object is written there, the rest of the config as given.
 */
function contextFor(object: string): { config: Record<string, unknown>; at: (string | number)[] } {
  const inline = { inputs: [[0.1], [0.2]], targets: [[0.05], [0.1]] };
  const config = (overrides: Record<string, unknown>) => ({ data: inline, model: { layers: [{ units: 4, activation: 'tanh' }, { units: 1 }] }, batchSize: 2, ...overrides });
  switch (object) {
    case 'config':
      return { config: config({}), at: [] };
    case 'inline':
      return { config: config({ data: { inputs: [[0.1, 0.5], [0.2, 0.4]], targets: [[1], [0]] } }), at: ['data'] };
    case 'file':
      return { config: config({ data: { file: 'points.csv' } }), at: ['data'] };
    case 'generated':
      return { config: config({ data: { generate: 'linear', count: 20, features: 8 } }), at: ['data'] };
    case 'layer':
      return { config: config({}), at: ['model', 'layers', 0] };
    case 'model':
      return { config: config({ model: { layers: [{ units: 1 }] } }), at: ['model'] };
    case 'sgd':
      return { config: config({ optimizer: { type: 'sgd' } }), at: ['optimizer'] };
    case 'adam':
      return { config: config({ optimizer: { type: 'adam' } }), at: ['optimizer'] };
    default:
      throw new Error(`no context for the schema's "${object}"`);
  }
}

/** Writes `value` at `at` inside a copy of `config`. */
function withValue(config: Record<string, unknown>, at: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(config);
  let parent: Record<string | number, unknown> = copy;
  for (const segment of at.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  if (at.length === 0) return { ...copy, ...(value as Record<string, unknown>) };
  parent[at[at.length - 1]] = value;
  return copy;
}

/** Loads a config in a folder that also holds the data files the examples and snippets name. */
function loadsCleanly(config: unknown, what: string): void {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'points.csv'), 'x1,y\n0.1,0.05\n0.2,0.1\n');
  fs.writeFileSync(path.join(dir, 'data.csv'), 'x1,x2,y\n0.1,0.5,1\n0.2,0.4,0\n0.3,0.3,1\n0.4,0.2,0\n');
  const result = loadConfigText(path.join(dir, 'example.training.json'), JSON.stringify(config, null, 2));
  assert.ok(result.ok, `${what}:\n${result.ok ? '' : result.problems.map(problemLine).join('\n')}`);
  const unknownKeys = result.warnings.map(problemLine).filter((line) => /unknown key/.test(line));
  assert.deepEqual(unknownKeys, [], what);
}

/** A snippet body as VS Code inserts it with every placeholder left at its default. */
function expandSnippet(body: unknown): unknown {
  const text = (s: string) => s.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\d+/g, '');
  if (typeof body === 'string') return body.startsWith('^') ? JSON.parse(text(body.slice(1))) : text(body);
  if (Array.isArray(body)) return body.map(expandSnippet);
  if (typeof body === 'object' && body !== null) return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, expandSnippet(v)]));
  return body;
}

describe('the JSON Schema teaches', () => {
  it('explains every key with an example and its default', () => {
    const missing: string[] = [];
    for (const [object, node] of OBJECTS) {
      for (const [key, property] of Object.entries(node.properties!)) {
        const text = property.markdownDescription ?? (property.$ref === '#/$defs/model' ? schema.$defs.model.markdownDescription : undefined);
        const where = `${object}.${key}`;
        if (!text) missing.push(`${where}: no markdownDescription`);
        else if (!/\n\nExample: `[^`]+`/.test(text)) missing.push(`${where}: no example`);
        else if ('default' in property && !text.includes(`Default: \`${JSON.stringify(property.default)}\`.`)) missing.push(`${where}: its default ${JSON.stringify(property.default)} is not said`);
        else if (node.required?.includes(key) && !/\bRequired\b/.test(text)) missing.push(`${where}: does not say it is required`);
        else if (!('default' in property) && !node.required?.includes(key) && !/\n\nDefault: /.test(text)) missing.push(`${where}: does not say what applies without it`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('gives examples that are right: each one, written into a config that runs, still runs', () => {
    for (const [object, node] of OBJECTS) {
      const { config, at } = contextFor(object);
      for (const [key, property] of Object.entries(node.properties!)) {
        const text = property.markdownDescription ?? schema.$defs.model.markdownDescription!;
        const example = JSON.parse(`{${/Example: `([^`]+)`/.exec(text)![1]}}`) as Record<string, unknown>;
        assert.deepEqual(Object.keys(example), [key], `${object}.${key}: the example writes this key`);
        loadsCleanly(withValue(config, [...at, key], example[key]), `${object}.${key}'s example`);
      }
    }
  });

  it('describes every choice of every enumeration', () => {
    for (const [object, node] of OBJECTS) {
      for (const [key, property] of Object.entries(node.properties!)) {
        if (!property.enum) continue;
        assert.equal(property.markdownEnumDescriptions?.length, property.enum.length, `${object}.${key}`);
        assert.ok(property.markdownEnumDescriptions!.every((d) => d.length > 10), `${object}.${key}`);
      }
    }
  });

  it('offers snippets for the common shapes, and each one runs as inserted', () => {
    const snippets = (node: SchemaNode) => (node.defaultSnippets ?? []).map((s) => [s.label, expandSnippet(s.body)] as const);
    const top = snippets(schema);
    assert.deepEqual(top.map(([name]) => name), ['The learner’s set-up', 'Inline data', 'Data from a CSV file']);
    for (const [name, body] of top) loadsCleanly(body, `the config snippet "${name}"`);
    const base = contextFor('config').config;
    const data = snippets(schema.properties!.data);
    assert.deepEqual(data.map(([name]) => name), ['Inline data', 'A CSV file', 'Generated data']);
    for (const [name, body] of data) loadsCleanly({ ...base, data: body, model: { layers: [{ units: 4, activation: 'tanh' }, { units: 1 }] } }, `the data snippet "${name}"`);
    const optimizers = snippets(schema.properties!.optimizer);
    assert.deepEqual(optimizers.map(([name]) => name), ['SGD', 'SGD with momentum', 'Adam']);
    for (const [name, body] of optimizers) loadsCleanly({ ...base, optimizer: body }, `the optimizer snippet "${name}"`);
    for (const [name, body] of snippets(schema.$defs.model.properties!.layers)) loadsCleanly({ ...base, model: { layers: body } }, `the layers snippet "${name}"`);
  });
});

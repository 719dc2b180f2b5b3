import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULTS } from '../../src/core/config/defaults';
import { loadConfigFile, loadConfigText } from '../../src/core/load/loadConfig';
import { baseConfig, load, loadOk, problemLine, REPO, tempDir } from './helpers';

/** Every problem of a config, formatted as the CLI prints them. */
function problemsOf(text: string, dir = tempDir()): string[] {
  const result = loadConfigText(path.join(dir, 'bad.training.json'), text);
  return result.ok ? result.warnings.map(problemLine) : result.problems.map(problemLine);
}

function expectProblem(text: string, pattern: RegExp, dir?: string): void {
  const problems = problemsOf(text, dir);
  assert.ok(problems.some((p) => pattern.test(p)), `expected ${pattern} among:\n${problems.join('\n')}`);
}

describe('config errors name the place and what is allowed', () => {
  it('points at a JSON syntax error with line and column', () => {
    expectProblem('{\n  "epochs": 3,\n}', /bad\.training\.json:3:1: \(syntax\): invalid JSON: expected a key in double quotes/);
    expectProblem('{"epochs": NaN}', /:1:12: \(syntax\): invalid JSON: unexpected "NaN"/);
    expectProblem('', /:1:1: \(syntax\): invalid JSON: expected a value/);
  });

  it('says when the top level is not an object', () => {
    expectProblem('[1, 2]', /:1:1: \$: must be an object holding the training config, found an array/);
  });

  it('reports every problem, not just the first', () => {
    const problems = problemsOf(JSON.stringify({ data: { generate: 'spiral' }, model: { layers: [{ units: 0 }] }, epochs: -1, batchSize: 2.5 }, null, 2));
    const paths = problems.map((p) => p.split(': ')[1]);
    assert.deepEqual(paths.sort(), ['$.batchSize', '$.data.generate', '$.epochs', '$.model.layers[0].units'].sort(), problems.join('\n'));
  });

  it('places a problem on the line of the offending value', () => {
    const text = '{\n  "data": {"generate": "xor"},\n  "model": {\n    "layers": [\n      {"units": "four"}\n    ]\n  }\n}';
    expectProblem(text, /:5:17: \$\.model\.layers\[0\]\.units: must be an integer ≥ 1 and ≤ 100000, found "four"/);
  });

  it('suggests the key meant by a typo, as a warning', () => {
    const result = load({ ...baseConfig(), epoch: 3 });
    assert.ok(result.ok);
    assert.match(problemLine(result.warnings[0]), /\$\.epoch: warning: unknown key "epoch" is ignored; did you mean "epochs"\?/);
  });

  it('names the allowed values of an enumeration', () => {
    expectProblem(JSON.stringify(baseConfig({ loss: 'mae' })), /\$\.loss: must be one of "mse", "bce", "cross-entropy", found "mae" \(did you mean "mse"\?\)/);
    expectProblem(JSON.stringify(baseConfig({ model: { layers: [{ units: 1, activation: 'softmax' }] } })), /activation: must be one of "linear", "relu", "sigmoid", "tanh"/);
    expectProblem(JSON.stringify(baseConfig({ optimizer: { type: 'rmsprop' } })), /\$\.optimizer\.type: must be one of "sgd", "adam"/);
  });

  it('checks ranges of the optimizer’s numbers', () => {
    expectProblem(JSON.stringify(baseConfig({ optimizer: { learningRate: 0 } })), /learningRate: must be a number > 0, found 0/);
    expectProblem(JSON.stringify(baseConfig({ optimizer: { momentum: 1 } })), /momentum: must be a number ≥ 0 and < 1, found 1/);
    expectProblem(JSON.stringify(baseConfig({ optimizer: { type: 'adam', beta2: 1.5 } })), /beta2: must be a number ≥ 0 and < 1, found 1.5/);
    expectProblem('{"data": {"generate": "xor"}, "model": {"layers": [{"units": 1}]}, "epochs": 1e400}', /\$\.epochs: must be an integer ≥ 1 and ≤ 1000000, found a number too large for a double/);
  });

  it('requires data and model, and exactly one form of data', () => {
    expectProblem('{}', /\$: missing key "data"/);
    expectProblem('{}', /\$: missing key "model"/);
    expectProblem(JSON.stringify(baseConfig({ data: { generate: 'xor', file: 'a.csv' } })), /\$\.data: must have exactly one of .*found "file" and "generate"/);
    expectProblem(JSON.stringify(baseConfig({ data: { inputs: [[1]] } })), /\$\.data: missing key "targets"/);
  });

  it('checks inline data: rectangular rows of finite numbers, one target row per input row', () => {
    expectProblem(JSON.stringify(baseConfig({ data: { inputs: [[1, 2], [3]], targets: [[1], [2]] } })), /\$\.data\.inputs\[1\]: every input row must have 2 values like row 0, found 1/);
    expectProblem(JSON.stringify(baseConfig({ data: { inputs: [[1, 'x']], targets: [[1]] } })), /\$\.data\.inputs\[0\]\[1\]: each input value must be a finite number, found "x"/);
    expectProblem(JSON.stringify(baseConfig({ data: { inputs: [[1], [2]], targets: [[1]] } })), /\$\.data\.targets: must have one row per input row: 2 input rows, 1 target rows/);
  });

  it('checks the network against the data', () => {
    const data = { inputs: [[1, 2]], targets: [[1]] };
    expectProblem(JSON.stringify({ data, model: { layers: [{ units: 2 }] } }), /\$\.model\.layers\[0\]\.units: the last layer has 2 units but each target row has 1 value/);
    expectProblem(JSON.stringify({ data, model: { layers: [{ units: 1 }], initialWeights: [[[1, 2, 3]]] } }), /\$\.model\.initialWeights\[0\]: layer 1 needs 1 rows \(its units\) of 2 values \(its inputs\), \[out\]\[in\]; found 1 rows of 3 values/);
    expectProblem(JSON.stringify({ data, model: { layers: [{ units: 1 }], initialBiases: [[1, 2]] } }), /\$\.model\.initialBiases\[0\]: layer 1 has 1 units, so it needs 1 biases; found 2/);
  });

  it('checks targets against the loss', () => {
    const data = { inputs: [[1], [2]], targets: [[0.5], [2]] };
    expectProblem(JSON.stringify({ data, model: { layers: [{ units: 1, activation: 'sigmoid' }] }, loss: 'bce' }), /\$\.data\.targets\[1\]\[0\]: binary cross-entropy needs targets from 0 to 1 \(probabilities\); found 2/);
    const classes = { inputs: [[1], [2]], targets: [[0], [3]] };
    expectProblem(JSON.stringify({ data: classes, model: { layers: [{ units: 3 }] }, loss: 'cross-entropy' }), /\$\.data\.targets\[1\]\[0\]: .*class number 0…2; found 3/);
  });

  it('refuses a dropLast that leaves no batch, and warns about a batch larger than the data', () => {
    expectProblem(JSON.stringify(baseConfig({ batchSize: 10, dropLast: true })), /\$\.batchSize: with "dropLast": true, a batch size of 10 leaves no batch from 7 data points/);
    expectProblem(JSON.stringify(baseConfig({ batchSize: 10 })), /\$\.batchSize: warning: is larger than the 7 data points/);
  });

  it('refuses impossible sizes before allocating anything', () => {
    expectProblem(JSON.stringify(baseConfig({ data: { generate: 'random', count: 10000000, features: 100000 } })), /\$\.data: count × features is 1000000000000; at most 100000000/);
    expectProblem(JSON.stringify(baseConfig({ model: { layers: [{ units: 100000 }, { units: 100000 }, { units: 1 }] } })), /\$\.model\.layers: the network has \d+ parameters; at most 2000000 are allowed/);
  });

  it('says when the config file is missing', () => {
    const result = loadConfigFile(path.join(tempDir(), 'nowhere.training.json'));
    assert.ok(!result.ok);
    assert.match(problemLine(result.problems[0]), /nowhere\.training\.json:1:1: \$: config file not found/);
  });
});

describe('data files', () => {
  const withCsv = (csv: string, data: Record<string, unknown> = {}) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'points.csv'), csv);
    return { dir, config: { data: { file: 'points.csv', ...data }, model: { layers: [{ units: 1 }] } } };
  };

  it('reads a CSV with a header; the last column is the target unless named', () => {
    const { dir, config } = withCsv('a,b,y\n1,2,3\n4,5,6\n');
    const { data } = loadOk(config, dir);
    assert.deepEqual(Array.from(data.inputs), [1, 2, 4, 5]);
    assert.deepEqual(Array.from(data.targets), [3, 6]);
    assert.deepEqual(data.featureNames, ['a', 'b']);
    const named = loadOk({ ...config, data: { file: 'points.csv', targetColumns: ['a'] } }, dir);
    assert.deepEqual(Array.from(named.data.targets), [1, 4]);
  });

  it('handles quoted fields, CRLF line ends and blank lines', () => {
    const { dir, config } = withCsv('"x, first","y"\r\n"1.5",2\r\n\r\n3,"4"\r\n');
    const { data } = loadOk(config, dir);
    assert.deepEqual(Array.from(data.inputs), [1.5, 3]);
    assert.deepEqual(data.featureNames, ['x, first']);
  });

  it('points at a bad cell in the CSV by line and column', () => {
    const { dir, config } = withCsv('a,y\n1,2\n3,NaN\n,4\n');
    const result = load(config, dir);
    assert.ok(!result.ok);
    const messages = result.problems.map(problemLine);
    assert.match(messages[0], /points\.csv:3:3: row 2, column "y": must be a finite decimal number, found "NaN"/);
    assert.match(messages[1], /points\.csv:4:1: row 3, column "a": must be a finite decimal number, found an empty cell/);
  });

  it('says which target column is missing and which exist', () => {
    const { dir, config } = withCsv('a,y\n1,2\n', { targetColumns: ['z'] });
    const result = load(config, dir);
    assert.ok(!result.ok);
    assert.match(problemLine(result.problems[0]), /\$\.data\.targetColumns\[0\]: no column "z" in points\.csv; its columns are a, y/);
  });

  it('reports a ragged row and an unclosed quote', () => {
    const ragged = withCsv('a,y\n1,2,3\n');
    const result = load(ragged.config, ragged.dir);
    assert.ok(!result.ok && /points\.csv:2:1: row 1: has 3 values but the header has 2 columns/.test(problemLine(result.problems[0])));
    const unclosed = withCsv('a,y\n"1,2\n');
    const second = load(unclosed.config, unclosed.dir);
    assert.ok(!second.ok && /points\.csv:2:1: .*never closed/.test(problemLine(second.problems[0])));
  });

  it('says when the data file is missing, with its resolved path', () => {
    const dir = tempDir();
    const result = load({ data: { file: 'missing.csv' }, model: { layers: [{ units: 1 }] } }, dir);
    assert.ok(!result.ok);
    assert.match(problemLine(result.problems[0]), new RegExp(`\\$\\.data\\.file: data file not found: ${path.join(dir, 'missing.csv').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('reads a .json data file and locates its problems in that file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'points.json'), '{\n  "inputs": [[1], [2]],\n  "targets": [[1], [true]]\n}');
    const result = load({ data: { file: 'points.json' }, model: { layers: [{ units: 1 }] } }, dir);
    assert.ok(!result.ok);
    assert.match(problemLine(result.problems[0]), /points\.json:3:21: \$\.targets\[1\]\[0\]: each target value must be a finite number, found true/);
  });
});

describe('the JSON Schema', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'training-config.schema.json'), 'utf8'));

  it('documents the same defaults as the code', () => {
    const props = schema.properties;
    assert.equal(props.loss.default, DEFAULTS.loss);
    assert.equal(props.reduction.default, DEFAULTS.reduction);
    assert.equal(props.batchSize.default, DEFAULTS.batchSize);
    assert.equal(props.epochs.default, DEFAULTS.epochs);
    assert.equal(props.shuffle.default, DEFAULTS.shuffle);
    assert.equal(props.dropLast.default, DEFAULTS.dropLast);
    assert.equal(props.seed.default, DEFAULTS.seed);
    assert.equal(schema.$defs.model.properties.bias.default, DEFAULTS.bias);
    assert.equal(schema.$defs.model.properties.init.default, DEFAULTS.init);
    assert.equal(schema.$defs.layer.properties.activation.default, DEFAULTS.activation);
    assert.equal(schema.$defs.sgd.properties.learningRate.default, DEFAULTS.sgd.learningRate);
    assert.equal(schema.$defs.sgd.properties.momentum.default, DEFAULTS.sgd.momentum);
    for (const key of ['learningRate', 'beta1', 'beta2', 'epsilon'] as const) assert.equal(schema.$defs.adam.properties[key].default, DEFAULTS.adam[key]);
    for (const key of ['count', 'features', 'noise'] as const) assert.equal(schema.$defs.generated.properties[key].default, DEFAULTS.generate[key]);
  });

  it('lists exactly the keys the config reader knows', () => {
    const known = Object.keys(schema.properties).filter((k) => k !== '$schema' && k !== 'description').sort();
    assert.deepEqual(known, ['batchSize', 'data', 'dropLast', 'epochs', 'loss', 'model', 'optimizer', 'reduction', 'seed', 'shuffle']);
    const result = load(baseConfig());
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.config).sort(), known);
  });

  it('accepts every bundled example without a warning', () => {
    for (const name of fs.readdirSync(path.join(REPO, 'examples')).filter((f) => f.endsWith('.training.json'))) {
      const result = loadConfigFile(path.join(REPO, 'examples', name));
      assert.ok(result.ok, `${name}: ${result.ok ? '' : result.problems.map(problemLine).join('\n')}`);
      assert.deepEqual(result.warnings.map(problemLine), [], name);
    }
  });
});

describe('more config checks', () => {
  it('reads a config that starts with a byte-order mark', () => {
    const result = loadConfigText(path.join(tempDir(), 'bom.training.json'), `\uFEFF${JSON.stringify(baseConfig())}`);
    assert.ok(result.ok, result.ok ? '' : result.problems.map(problemLine).join('\n'));
  });

  it('refuses cross-entropy over a single output unit, which could learn nothing', () => {
    expectProblem(JSON.stringify({ data: { inputs: [[1]], targets: [[1]] }, model: { layers: [{ units: 1 }] }, loss: 'cross-entropy' }), /\$\.model\.layers\[0\]\.units: cross-entropy needs 2 or more output units/);
  });

  it('warns when binary cross-entropy follows a non-sigmoid output', () => {
    expectProblem(JSON.stringify({ data: { inputs: [[1]], targets: [[1]] }, model: { layers: [{ units: 1, activation: 'tanh' }] }, loss: 'bce' }), /\$\.model\.layers\[0\]\.activation: warning: binary cross-entropy reads the outputs as probabilities/);
  });

  it('refuses a run that would visit more data points than a summary can keep', () => {
    expectProblem(JSON.stringify(baseConfig({ data: { generate: 'random', count: 100_000, features: 2 }, epochs: 1000 })), /\$\.epochs: 1000 epochs of 100000 points visit 100000000 data points; a run may visit at most 20000000/);
  });

  it('lists at most 20 bad data values, then says there are more', () => {
    const inputs = Array.from({ length: 50 }, () => [null]);
    const problems = problemsOf(JSON.stringify({ data: { inputs, targets: inputs.map(() => [1]) }, model: { layers: [{ units: 1 }] } }));
    assert.equal(problems.length, 21);
    assert.match(problems[20], /… more values are not finite numbers \(only the first 20 are listed\)/);
  });
});

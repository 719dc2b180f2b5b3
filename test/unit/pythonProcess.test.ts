import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkPython, PythonScript, TRACE_FILE_VARIABLE } from '../../src/host/pythonProcess';
import { tempDir } from './helpers';

/** An executable shell script standing in for an interpreter that prints `output` and exits with `code`. */
function fakeInterpreter(output: string, code: number): string {
  const file = path.join(tempDir(), 'python');
  fs.writeFileSync(file, `#!/bin/sh\necho "${output}" >&2\nexit ${code}\n`, { mode: 0o755 });
  return file;
}

describe('running a learner’s Python script', () => {
  it('says Python is missing when the interpreter does not exist', async () => {
    const result = await checkPython(path.join(tempDir(), 'no-such-python'));
    assert.ok(!result.ok && result.problem.id === 'python.notFound');
  });

  it('says PyTorch is missing, and what to install, when torch cannot be imported', async () => {
    const result = await checkPython(fakeInterpreter("ModuleNotFoundError: No module named 'torch'", 1));
    assert.ok(!result.ok && result.problem.id === 'python.noTorch');
  });

  it('says why when the check fails otherwise', async () => {
    const result = await checkPython(fakeInterpreter('Segmentation fault', 139));
    assert.ok(!result.ok && result.problem.id === 'python.checkFailed', JSON.stringify(result));
  });

  it('runs the script in its folder with the recorder importable and the trace file named, and streams its output', async () => {
    const dir = tempDir();
    const recorder = path.join(dir, 'recorder');
    fs.mkdirSync(recorder);
    fs.writeFileSync(path.join(recorder, 'probe_module.py'), 'NAME = "importable"\n');
    const script = path.join(dir, 'learner.py');
    fs.writeFileSync(script, `import os, probe_module\nprint(probe_module.NAME, os.getcwd(), os.environ["${TRACE_FILE_VARIABLE}"])\n`);
    let output = '';
    const run = new PythonScript(script, '/usr/bin/python3', recorder, path.join(dir, 'out.trace.jsonl'), { append: (text) => (output += text) });
    assert.deepEqual(await run.exited, { code: 0, signal: null });
    assert.equal(output.trim(), `importable ${dir} ${path.join(dir, 'out.trace.jsonl')}`);
  });

  it('stops a script that does not end, and resolves once it is gone', async () => {
    const dir = tempDir();
    const script = path.join(dir, 'forever.py');
    fs.writeFileSync(script, 'import time\nprint("started", flush=True)\nwhile True: time.sleep(0.1)\n');
    let output = '';
    const run = new PythonScript(script, '/usr/bin/python3', dir, path.join(dir, 't.jsonl'), { append: (text) => (output += text) });
    for (let waited = 0; !output.includes('started'); waited += 20) {
      assert.ok(waited < 10_000, 'the script started');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await run.stop();
    assert.equal((await run.exited).signal, 'SIGTERM');
  });
});

import * as path from 'node:path';
import Mocha from 'mocha';

/**
 * The entry VS Code's extension host calls with `extensionTestsPath` (the same for
 * @vscode/test-electron and for code-server): runs every *.test.js beside this file and
 * rejects when a test fails, which makes the host exit with a failure code.
 */
export async function run(): Promise<void> {
  // TRAINING_TRACE_TEST_GREP runs only the tests whose title matches (while working on one).
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec', grep: process.env.TRAINING_TRACE_TEST_GREP });
  for (const file of ['extension.test.js']) mocha.addFile(path.join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test${failures === 1 ? '' : 's'} failed`);
}

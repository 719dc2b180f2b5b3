import { outlineLines, type TextStyle } from '../core/outline/renderText';
import { readTraceFileSync } from '../core/traceFile/traceFile';
import { formatProblem } from '../core/validation/problems';
import { label } from '../core/words/label';
import type { Words } from '../core/words/words';
import { Driver } from './drive';
import { EXIT, writeFailure, type CliIo } from './exit';
import { Output } from './output';

/**
 * `training-trace show <file.trace.jsonl>`: the outline of a saved trace, from any producer of
 * the contract, the same outline `run` prints for the config that made it, written as a stream.
 * A malformed trace is reported at its line on stderr (exit 2), after the outline of what came
 * before it.
 */
export async function showTrace(file: string, io: CliIo, words: Words, style: TextStyle): Promise<number> {
  const reader = readTraceFileSync(file);
  const output = new Output(io.stdout);
  const driver = new Driver(output, io.stop);
  const written = reader.summary ? await driver.write(outlineLines(reader.summary, words, style)) : true;
  output.flush();
  await output.drained(1000);
  if (output.failure) return writeFailure(output.failure, (message) => io.stderr.write(`training-trace: ${words.text(message)}\n`));
  if (!written) {
    io.stderr.write(`training-trace: ${words.text(label('cli.interrupted'))}\n`);
    return EXIT.interrupted;
  }
  for (const problem of reader.problems) io.stderr.write(`${formatProblem(problem, words)}\n`);
  return reader.error ? EXIT.usage : EXIT.ok;
}

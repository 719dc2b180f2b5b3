import { ANSI, PLAIN, renderOutline } from '../core/outline/renderText';
import { readTraceFileSync } from '../core/traceFile/traceFile';
import { formatProblem } from '../core/validation/problems';
import type { Words } from '../core/words/words';

/**
 * `training-trace show <file.trace.jsonl>`: the outline of a saved trace, from any producer of
 * the contract, the same outline `run` prints for the config that made it. A malformed trace
 * is reported at its line on stderr (exit 2), after the outline of what came before it.
 */
export function showTrace(file: string, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, words: Words, colour: boolean): number {
  const reader = readTraceFileSync(file);
  if (reader.summary) stdout.write(renderOutline(reader.summary, words, colour ? ANSI : PLAIN));
  for (const problem of reader.problems) stderr.write(`${formatProblem(problem, words)}\n`);
  return reader.error ? 2 : 0;
}

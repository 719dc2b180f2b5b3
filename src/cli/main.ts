import { loadConfigFile } from '../core/load/loadConfig';
import { ANSI, PLAIN, renderOutline } from '../core/outline/renderText';
import { summarizeRun } from '../core/run/recordRun';
import { traceLines } from '../core/trace/traceLines';
import { formatProblem, type Problem } from '../core/validation/problems';
import { label } from '../core/words/label';
import { ENGLISH_WORDS } from '../core/words/words';
import { BufferedWriter } from './bufferedWriter';
import { showTrace } from './show';

/** Runs the CLI; returns the exit code. Output goes through the given streams (tests pass their own). */
export function main(args: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, colour: boolean): number {
  const words = ENGLISH_WORDS;
  const usage = words.text(label('cli.usage'));
  const usageError = (message: string) => {
    stderr.write(`training-trace: ${message}\n\n${usage}\n`);
    return 2;
  };
  if (args.includes('--help') || args.includes('-h')) {
    stdout.write(`${usage}\n`);
    return 0;
  }
  const [command, ...rest] = args;
  if (command === 'show') {
    if (rest.length !== 1 || rest[0].startsWith('-')) return usageError(words.text(label('cli.show.oneFile')));
    return showTrace(rest[0], stdout, stderr, words, colour);
  }
  if (command !== 'run') return usageError(words.text(command ? label('cli.unknownCommand', { command }) : label('cli.noCommand')));
  let format = 'outline';
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--format') format = rest[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg.startsWith('-')) return usageError(words.text(label('cli.unknownOption', { option: arg })));
    else files.push(arg);
  }
  if (format !== 'outline' && format !== 'jsonl') return usageError(words.text(label('cli.badFormat', { format })));
  if (files.length !== 1) return usageError(words.text(label(files.length === 0 ? 'cli.noFile' : 'cli.manyFiles')));

  const loaded = loadConfigFile(files[0]);
  const report = (problems: Problem[]) => {
    for (const p of problems) stderr.write(`${formatProblem(p, words)}\n`);
  };
  if (!loaded.ok) {
    report(loaded.problems);
    return 2;
  }
  report(loaded.warnings);

  if (format === 'jsonl') {
    const out = new BufferedWriter(stdout);
    traceLines(loaded.config, loaded.data, (line) => out.write(line));
    out.flush();
  } else {
    stdout.write(renderOutline(summarizeRun(loaded.config, loaded.data), words, colour ? ANSI : PLAIN));
  }
  return 0;
}

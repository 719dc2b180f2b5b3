import { loadConfigFile } from '../core/config/loadConfig';
import { formatProblem, type Problem } from '../core/config/problems';
import { EventSummarizer } from '../core/outline/summary';
import { ANSI, PLAIN, renderOutline } from '../core/outline/renderText';
import { traceRun } from '../core/trace/fullTrace';
import { BufferedWriter } from './bufferedWriter';

const USAGE = `Usage: training-trace run <config.training.json> [--format outline|jsonl]

  outline  the training loop as a tree in the learner's words, corrections marked (default)
  jsonl    the trace: one JSON event per line, numbers at full precision

Exit codes: 0 done (a diverged run is a finding and also exits 0), 2 bad config or usage.`;

/** Runs the CLI; returns the exit code. Output goes through the given streams (tests pass their own). */
export function main(args: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, colour: boolean): number {
  const usageError = (message: string) => {
    stderr.write(`training-trace: ${message}\n\n${USAGE}\n`);
    return 2;
  };
  if (args.includes('--help') || args.includes('-h')) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, ...rest] = args;
  if (command !== 'run') return usageError(command ? `unknown command "${command}"` : 'no command given');
  let format = 'outline';
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--format') format = rest[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg.startsWith('-')) return usageError(`unknown option "${arg}"`);
    else files.push(arg);
  }
  if (format !== 'outline' && format !== 'jsonl') return usageError(`--format must be "outline" or "jsonl", not "${format}"`);
  if (files.length !== 1) return usageError(files.length === 0 ? 'no config file given' : 'give exactly one config file');

  const loaded = loadConfigFile(files[0]);
  const report = (problems: Problem[]) => {
    for (const p of problems) stderr.write(`${formatProblem(p)}\n`);
  };
  if (!loaded.ok) {
    report(loaded.problems);
    return 2;
  }
  report(loaded.warnings);

  if (format === 'jsonl') {
    const out = new BufferedWriter(stdout);
    traceRun(loaded.config, loaded.data, (event) => out.write(`${JSON.stringify(event)}\n`));
    out.flush();
  } else {
    const summarizer = new EventSummarizer();
    traceRun(loaded.config, loaded.data, (event) => summarizer.accept(event));
    stdout.write(renderOutline(summarizer.summary, colour ? ANSI : PLAIN));
  }
  return 0;
}

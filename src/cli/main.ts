import { DEFAULT_LOAD_OPTIONS, loadConfigFile } from '../core/load/loadConfig';
import { ANSI, PLAIN } from '../core/outline/renderText';
import { startTrace, traceLine } from '../core/trace/fullTrace';
import { batchSchedule } from '../core/train/schedule';
import { formatProblem, type Problem } from '../core/validation/problems';
import { label, type Label } from '../core/words/label';
import { Driver } from './drive';
import { EXIT, writeFailure, type CliIo } from './exit';
import { chooseLanguage, cliWords } from './language';
import { writeOutline } from './outline';
import { Output } from './output';
import { Progress } from './progress';
import { showTrace } from './show';


/** Runs the CLI; resolves with the exit code. Every way it ends says so in at most one line on stderr. */
export async function main(given: string[], io: CliIo): Promise<number> {
  const { language, args, unknown } = chooseLanguage(given, io.env);
  const words = cliWords(language);
  const { stdout, stderr } = io;
  const say = (message: Label) => stderr.write(`training-trace: ${words.text(message)}\n`);
  const usage = words.text(label('cli.usage'));
  const usageError = (message: Label) => {
    stderr.write(`training-trace: ${words.text(message)}\n\n${usage}\n`);
    return EXIT.usage;
  };
  if (unknown !== undefined) return usageError(label('cli.badLang', { value: unknown }));
  if (args.includes('--help') || args.includes('-h')) {
    stdout.write(`${usage}\n`);
    return EXIT.ok;
  }
  const [command, ...rest] = args;
  if (command === 'show') {
    if (rest.length !== 1 || rest[0].startsWith('-')) return usageError(label('cli.show.oneFile'));
    return showTrace(rest[0], io, words, colourOf(io));
  }
  if (command !== 'run') return usageError(command ? label('cli.unknownCommand', { command }) : label('cli.noCommand'));
  let format = 'outline';
  let maxMb = DEFAULT_LOAD_OPTIONS.maxBytes / 2 ** 20;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--format') format = rest[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg === '--max-data-mb' || arg.startsWith('--max-data-mb=')) {
      const value = arg === '--max-data-mb' ? (rest[++i] ?? '') : arg.slice('--max-data-mb='.length);
      maxMb = Number(value);
      if (!(maxMb >= 1) || !Number.isFinite(maxMb)) return usageError(label('cli.badLimit', { value }));
    } else if (arg.startsWith('-')) return usageError(label('cli.unknownOption', { option: arg }));
    else files.push(arg);
  }
  if (format !== 'outline' && format !== 'jsonl') return usageError(label('cli.badFormat', { format }));
  if (files.length !== 1) return usageError(label(files.length === 0 ? 'cli.noFile' : 'cli.manyFiles'));

  const loaded = loadConfigFile(files[0], { ...DEFAULT_LOAD_OPTIONS, maxBytes: maxMb * 2 ** 20 });
  const report = (problems: Problem[]) => {
    for (const p of problems) stderr.write(`${formatProblem(p, words)}\n`);
  };
  if (!loaded.ok) {
    report(loaded.problems);
    return EXIT.usage;
  }
  report(loaded.warnings);

  const { config, data } = loaded;
  const output = new Output(stdout);
  const driver = new Driver(output, io.stop);
  const progress = io.progress ? stderr : undefined;
  let outcome: 'done' | 'diverged' | 'stopped';
  let at = { epoch: 0, batch: 0 };
  if (format === 'jsonl') {
    const trace = startTrace(config, data, (event) => output.line(traceLine(event)));
    const shown = progress && new Progress(progress, words, () => trace.at, { epochs: config.epochs, batches: batchSchedule(data.count, config).batchCount });
    const result = await driver.train(trace);
    shown?.end();
    outcome = result === 'paused' ? 'stopped' : result;
    at = trace.at;
  } else {
    ({ outcome, at } = await writeOutline(config, data, driver, words, colourOf(io), progress));
  }
  output.flush();
  // Whatever was written is handed on before the one line that says how it ended.
  await output.drained(1000);
  if (output.failure) return writeFailure(output.failure, say);
  if (outcome === 'stopped') {
    say(at.epoch > 0 ? label('cli.interrupted.at', { epoch: at.epoch, batch: at.batch }) : label('cli.interrupted'));
    return EXIT.interrupted;
  }
  return EXIT.ok;
}

function colourOf(io: CliIo) {
  return io.colour ? ANSI : PLAIN;
}

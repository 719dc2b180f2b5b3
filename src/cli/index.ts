import { label } from '../core/words/label';
import { EXIT } from './exit';
import { chooseLanguage, cliWords } from './language';
import { main } from './main';

/**
 * The `training-trace` command. Every way it can end is one line on stderr at most, never a
 * stack trace: Ctrl-C stops the run where it is (what was written stays written) and exits 130,
 * a second Ctrl-C at once; an error nobody expected is said in one line and exits 1.
 */
const stop = { requested: false };
const say = (text: string) => process.stderr.write(`training-trace: ${text}\n`);

process.on('SIGINT', () => {
  if (stop.requested) process.exit(EXIT.interrupted);
  stop.requested = true;
});
const unexpected = (error: unknown) => {
  say(cliWords(chooseLanguage(process.argv.slice(2), process.env).language).text(label('cli.failed', { reason: error instanceof Error ? error.message : String(error) })));
  process.exit(EXIT.failed);
};
process.on('uncaughtException', unexpected);
process.on('unhandledRejection', unexpected);
// A write error on stderr itself has nowhere to be said.
process.stderr.on('error', () => process.exit(EXIT.failed));

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  colour: Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env),
  progress: Boolean(process.stderr.isTTY),
  stop,
  env: process.env,
}).then((code) => {
  process.exitCode = code;
}, unexpected);

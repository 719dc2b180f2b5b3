import { label, type Label } from '../core/words/label';
import type { StopSignal } from './drive';

/** Exit codes: the run finished (done or diverged); the output failed or an error nobody expected; a bad config, a bad trace or usage; Ctrl-C. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** ANSI colours in the outline (stdout is a terminal and NO_COLOR is unset). */
  colour: boolean;
  /** Progress on stderr for long runs (stderr is a terminal). */
  progress: boolean;
  stop: StopSignal;
  /** LANG, LC_ALL, LC_MESSAGES: the language spoken unless `--lang` says otherwise. */
  env: Readonly<Record<string, string | undefined>>;
}

/** A write that failed: the reader went away (EPIPE, not an error of ours), the disk is full, or something else. */
export function writeFailure(error: NodeJS.ErrnoException, say: (message: Label) => void): number {
  if (error.code === 'EPIPE') {
    say(label('cli.outputClosed'));
    return EXIT.ok;
  }
  const reason = error.code === 'ENOSPC' ? label('cli.reason.ENOSPC') : error.code === 'ENOBUFS' ? label('cli.reason.ENOBUFS') : label('verbatim', { text: error.message });
  say(label('cli.writeFailed', { reason }));
  return EXIT.failed;
}

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { label, verbatim, type Label } from '../core/words/label';

/** The recorder's variable: where the script's trace goes (python/training_trace/recorder.py reads it). */
export const TRACE_FILE_VARIABLE = 'TRAINING_TRACE_FILE';

/** How long importing torch may take before the check gives up (a cold import takes seconds). */
const CHECK_TIMEOUT_MS = 60_000;
/** After Stop, how long the script has to end before it is killed. */
const STOP_GRACE_MS = 2_000;

/**
 * Whether `interpreter` runs and can import PyTorch. Resolves with torch's version, or with what
 * to tell the learner: Python missing, PyTorch missing (and what to install), or why the check failed.
 */
export function checkPython(interpreter: string): Promise<{ ok: true; torch: string } | { ok: false; problem: Label }> {
  return new Promise((resolve) => {
    let output = '';
    let child: ChildProcess;
    try {
      child = spawn(interpreter, ['-c', 'import torch, sys; sys.stdout.write(torch.__version__)'], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ ok: false, problem: label('python.checkFailed', { interpreter, reason: verbatim(String(error)) }) });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), CHECK_TIMEOUT_MS);
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, problem: error.code === 'ENOENT' ? label('python.notFound', { interpreter }) : label('python.checkFailed', { interpreter, reason: verbatim(error.message) }) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true, torch: output.trim() });
      else if (/No module named '?torch/.test(output)) resolve({ ok: false, problem: label('python.noTorch', { interpreter }) });
      else resolve({ ok: false, problem: label('python.checkFailed', { interpreter, reason: verbatim(lastLine(output) || `exit code ${code}`) }) });
    });
  });
}

export interface ScriptOutput {
  append(text: string): void;
}

/**
 * A learner's script, run as they would run it (`python -u script.py` in its folder) with the
 * recorder importable and its trace written to `traceFile`. Its output goes to `output` as it comes.
 */
export class PythonScript {
  /** Settles when the process has ended: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly script: string,
    interpreter: string,
    recorderFolder: string,
    readonly traceFile: string,
    output: ScriptOutput,
  ) {
    const pythonPath = [recorderFolder, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
    this.child = spawn(interpreter, ['-u', script], {
      cwd: path.dirname(script),
      env: { ...process.env, PYTHONPATH: pythonPath, PYTHONUNBUFFERED: '1', [TRACE_FILE_VARIABLE]: traceFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => output.append(chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => output.append(chunk.toString()));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        output.append(`${error.message}\n`);
        resolve({ code: null, signal: null });
      });
      this.child.on('close', (code, signal) => resolve({ code, signal }));
    });
  }

  /** Ends the script: politely, then by force after a moment. Resolves once it is gone. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    })();
    return this.stopping;
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { label } from '../core/words/label';
import type { Words } from '../core/words/words';
import type { TrainingController } from './controller';
import { checkPython, PythonScript } from './pythonProcess';
import { TRACE_SUFFIX } from './saveTrace';
import { TraceSession } from './traceSession';

export const RUN_PYTHON_COMMAND = 'trainingTrace.runPythonScript';

/** What the command resolves to: the trace it streams into the panel, or why it did not run. */
export type PythonRunStart = { status: 'started'; script: string; traceFile: string } | { status: 'notRun'; why: string };

/**
 * **Training Trace: Run Python Script with Trace**: runs the learner's own training script with
 * the recorder (the extension's `python/` folder) importable, and streams the trace it writes
 * into the panel as it is written; the script's output goes to an output channel. It runs the
 * learner's code, so it refuses in an untrusted workspace, and says why.
 */
export function registerPythonScripts(controller: TrainingController, extensionUri: vscode.Uri, words: Words): vscode.Disposable[] {
  const output = vscode.window.createOutputChannel(words.text(label('python.output')));
  const recorder = vscode.Uri.joinPath(extensionUri, 'python').fsPath;
  const say = (message: Parameters<Words['text']>[0]): PythonRunStart => {
    const why = words.text(message);
    void vscode.window.showErrorMessage(why);
    return { status: 'notRun', why };
  };

  const run = async (uri?: vscode.Uri): Promise<PythonRunStart> => {
    if (!vscode.workspace.isTrusted) return say(label('python.untrusted'));
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || document.uri.scheme !== 'file' || !document.fileName.endsWith('.py')) return say(label('python.noScript'));
    // The learner runs what they see.
    if (document.isDirty) await document.save();
    const script = document.uri.fsPath;
    const interpreter = vscode.workspace.getConfiguration('trainingTrace.python').get<string>('interpreter') || (process.platform === 'win32' ? 'python' : 'python3');
    const checked = await checkPython(interpreter);
    if (!checked.ok) return say(checked.problem);

    const traceFile = path.join(path.dirname(script), `${path.basename(script, '.py')}${TRACE_SUFFIX}`);
    // The panel follows this file from its first line: an older trace must not be read as this run's.
    await fs.promises.rm(traceFile, { force: true });
    await controller.stop();
    output.clear();
    output.show(true);
    output.appendLine(words.text(label('python.started', { interpreter, script, torch: checked.torch })));
    const scriptRun = new PythonScript(script, interpreter, recorder, traceFile, { append: (text) => output.append(text) });
    const waitForTrace = new AbortController();
    void scriptRun.exited.then(({ code, signal }) => {
      waitForTrace.abort();
      output.appendLine(words.text(signal ? label('python.killed', { signal }) : label('python.exited', { code: code ?? '?' })));
    });
    const opened = await TraceSession.open(traceFile, { follow: true, signal: waitForTrace.signal });
    if ('problems' in opened) {
      await scriptRun.stop();
      return say(label('python.noTrace', { file: path.basename(traceFile), output: output.name }));
    }
    const { session } = opened;
    // Once the script has ended, its trace is complete: read it to its end, and stop following.
    void scriptRun.exited.then(() => session.endFollowing());
    await controller.show(session, () => scriptRun.stop());
    return { status: 'started', script, traceFile };
  };

  return [output, vscode.commands.registerCommand(RUN_PYTHON_COMMAND, run)];
}

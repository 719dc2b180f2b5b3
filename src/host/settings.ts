import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_LOAD_OPTIONS, type LoadOptions } from '../core/load/loadConfig';

/** The extension's settings (package.json `contributes.configuration`), under `trainingTrace.`. */
export const SETTING = {
  allowOutsideWorkspace: 'data.allowOutsideWorkspace',
  maxFileSizeMB: 'data.maxFileSizeMB',
  maxRunPoints: 'limits.maxRunPoints',
  maxParameters: 'limits.maxParameters',
  rerunOnReload: 'reload.rerun',
} as const;

export type RerunOnReload = 'quick' | 'always' | 'never';

/**
 * What a config may read and how large its run may be, from the settings that apply to it.
 * A data file must lie inside the config's workspace folder (or, for a config outside every
 * folder, beside it) unless the learner allows more — and never in an untrusted workspace,
 * whatever the settings say: a downloaded config must not read the learner's other files.
 */
export function loadOptionsFor(configFile: string): LoadOptions {
  const uri = vscode.Uri.file(configFile);
  const settings = vscode.workspace.getConfiguration('trainingTrace', uri);
  const allowOutside = vscode.workspace.isTrusted && settings.get<boolean>(SETTING.allowOutsideWorkspace, false);
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(configFile);
  const mb = positive(settings.get<number>(SETTING.maxFileSizeMB), DEFAULT_LOAD_OPTIONS.maxBytes / 2 ** 20);
  return {
    maxBytes: mb * 2 ** 20,
    root: allowOutside ? undefined : folder,
    limits: {
      runPoints: positive(settings.get<number>(SETTING.maxRunPoints), DEFAULT_LOAD_OPTIONS.limits.runPoints),
      parameters: positive(settings.get<number>(SETTING.maxParameters), DEFAULT_LOAD_OPTIONS.limits.parameters),
    },
  };
}

export function rerunOnReload(): RerunOnReload {
  const value = vscode.workspace.getConfiguration('trainingTrace').get<string>(SETTING.rerunOnReload, 'quick');
  return value === 'always' || value === 'never' ? value : 'quick';
}

/** A setting's number when it is one ≥ 1, else the default (a hand-edited settings.json may hold anything). */
function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? value : fallback;
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_LOAD_OPTIONS, type LoadOptions } from '../core/load/loadConfig';
import { MAX_SIGNIFICANT_DIGITS } from '../shared/protocol';

/**
 * The extension's settings (`contributes.configuration` in package.json, documented in the
 * README), under `trainingTrace.`, read where they are used, so a change takes effect without
 * a reload.
 */
export const SETTING = {
  significantDigits: 'significantDigits',
  allowOutsideWorkspace: 'data.allowOutsideWorkspace',
  maxFileSizeMB: 'data.maxFileSizeMB',
  maxRunPoints: 'limits.maxRunPoints',
  maxParameters: 'limits.maxParameters',
  rerunOnReload: 'reload.rerun',
} as const;

export const SIGNIFICANT_DIGITS = `trainingTrace.${SETTING.significantDigits}`;

const DEFAULT_DIGITS = 4;

/** How many significant digits the panel's numbers show: the setting, or 4 when it is out of range. */
export function significantDigits(): number {
  const value = vscode.workspace.getConfiguration().get<number>(SIGNIFICANT_DIGITS, DEFAULT_DIGITS);
  return Number.isInteger(value) && value >= 1 && value <= MAX_SIGNIFICANT_DIGITS ? value : DEFAULT_DIGITS;
}

/** Calls `listener` whenever the setting changes, in any scope. */
export function onDidChangeSetting(setting: string, listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(setting)) listener();
  });
}

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

import * as vscode from 'vscode';
import { MAX_SIGNIFICANT_DIGITS } from '../shared/protocol';

/**
 * The extension's settings (`contributes.configuration` in package.json, documented in the
 * README), read where they are used, so a change takes effect without a reload.
 */
export const SIGNIFICANT_DIGITS = 'trainingTrace.significantDigits';

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

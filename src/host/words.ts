import * as vscode from 'vscode';
import { wordsFor, type Words } from '../core/words/words';
import type { HostToWebview } from '../shared/protocol';
import { SIGNIFICANT_DIGITS, onDidChangeSetting, significantDigits } from './settings';

/**
 * The catalogue in VS Code's display language: `vscode.l10n.bundle` is the extension's bundle for
 * that language (keyed by the English sentences), or nothing in English. Numbers follow the
 * significant-digits setting: read once, and again when it changes (not on every word said).
 */
export function hostWords(): Words & vscode.Disposable {
  let said: Words | undefined;
  const current = () => (said ??= inLanguage(significantDigits()));
  const changed = onDidChangeSetting(SIGNIFICANT_DIGITS, () => (said = undefined));
  return { language: vscode.env.language, text: (label) => current().text(label), number: (value) => current().number(value), dispose: () => changed.dispose() };
}

/** What the panel needs to say things as the host does (the webview has no `vscode.l10n`). */
export function panelWords(): Extract<HostToWebview, { type: 'words' }> {
  return { type: 'words', language: vscode.env.language, bundle: vscode.l10n.bundle ?? {}, significantDigits: significantDigits() };
}

function inLanguage(digits: number): Words {
  return wordsFor(vscode.env.language, vscode.l10n.bundle ?? {}, { significantDigits: digits });
}

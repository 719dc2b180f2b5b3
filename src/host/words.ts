import * as vscode from 'vscode';
import { wordsFor, type Words } from '../core/words/words';

/**
 * The catalogue in VS Code's display language: `vscode.l10n.bundle` is the extension's bundle for
 * that language (keyed by the English sentences), or nothing in English.
 */
export function hostWords(): Words {
  return wordsFor(vscode.env.language, vscode.l10n.bundle ?? {});
}

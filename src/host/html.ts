import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { panelCsp } from './csp';

/**
 * The panel's HTML, set once per webview. The CSP allows nothing by default: the one script
 * runs by nonce, styles and fonts come only from the extension's files, and no workspace data
 * is written into the page (it all arrives by postMessage).
 */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
  const csp = panelCsp(webview.cspSource, nonce);
  // VS Code's display language (a tag such as zh-cn): Chromium picks the Chinese forms of shared glyphs by it.
  const language = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i.test(vscode.env.language) ? vscode.env.language : 'en';
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Training Trace</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

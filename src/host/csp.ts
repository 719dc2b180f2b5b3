/**
 * The panel's Content Security Policy: nothing by default; the one script by nonce; styles,
 * fonts and images only from the extension's own files (`source`, the webview's cspSource). No
 * 'unsafe-inline', no 'unsafe-eval': whatever a config or a data file holds reaches the page as
 * text through postMessage, and even markup slipped into the DOM could not run. Free of `vscode`,
 * so the panel's tests serve their page with this same policy.
 */
export function panelCsp(source: string, nonce: string): string {
  return ["default-src 'none'", `style-src ${source}`, `font-src ${source}`, `img-src ${source}`, `script-src 'nonce-${nonce}'`].join('; ');
}

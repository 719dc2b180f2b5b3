// The webview API VS Code gives a panel, played by the test: messages go to the test through
// a function Playwright exposes, and the state lives in sessionStorage so a reload keeps it.
window.acquireVsCodeApi = () => ({
  postMessage: (message) => window.__toHost(JSON.parse(JSON.stringify(message))),
  getState: () => JSON.parse(sessionStorage.getItem('vscode-state') || 'null') ?? undefined,
  setState: (state) => sessionStorage.setItem('vscode-state', JSON.stringify(state)),
});

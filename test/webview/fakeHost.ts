import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import type { TrainingConfig } from '../../src/core/config/types';
import type { Dataset } from '../../src/core/data/dataset';
import { refFromId } from '../../src/core/outline/tree';
import { isDetailRef } from '../../src/core/run/detail';
import type { RunSummary } from '../../src/core/run/summary';
import { packSummary } from '../../src/core/run/packedSummary';
import { Replayer } from '../../src/core/run/replay';
import { recordRun } from '../../src/core/run/recordRun';
import { panelCsp } from '../../src/host/csp';
import { toWire } from '../../src/host/wireDetail';
import { isWebviewToHost, type HostToWebview, type PanelReport, type WebviewToHost } from '../../src/shared/protocol';

export const REPO = path.resolve(__dirname, '..', '..', '..');

/**
 * Serves the built panel (dist/webview.js, media/panel.css) in a page with the panel's own
 * strict CSP, a VS Code theme's variables, and the fake webview API of fakeVsCodeApi.js.
 */
export async function servePanel(): Promise<{ url(theme: string): string; close(): Promise<void> }> {
  const files: Record<string, [string, string]> = {
    '/dist/webview.js': ['dist/webview/webview.js', 'text/javascript'],
    '/media/panel.css': ['media/panel.css', 'text/css'],
    '/fakeVsCodeApi.js': ['test/webview/fakeVsCodeApi.js', 'text/javascript'],
    '/themes/light.css': ['test/webview/themes/light.css', 'text/css'],
    '/themes/dark.css': ['test/webview/themes/dark.css', 'text/css'],
    '/themes/high-contrast.css': ['test/webview/themes/high-contrast.css', 'text/css'],
  };
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/panel.html') {
      const theme = url.searchParams.get('theme') ?? 'light';
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(panelPage(theme));
      return;
    }
    const file = files[url.pathname];
    if (!file) {
      // A browser asks for /favicon.ico on its own; anything else missing is a real error.
      response.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file[1] });
    response.end(fs.readFileSync(path.join(REPO, file[0])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (theme) => `http://127.0.0.1:${port}/panel.html?theme=${theme}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The extension's own CSP (src/host/csp.ts): no inline anything, scripts by nonce. */
function panelPage(theme: string): string {
  const nonce = 'dGVzdC1ub25jZQ==';
  const csp = panelCsp("'self'", nonce);
  const bodyClass = theme === 'high-contrast' ? 'vscode-high-contrast' : `vscode-${theme}`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/themes/${theme}.css"><link rel="stylesheet" href="/media/panel.css"></head>
<body class="${bodyClass}"><div id="app"></div>
<script nonce="${nonce}" src="/fakeVsCodeApi.js"></script><script nonce="${nonce}" src="/dist/webview.js"></script></body></html>`;
}

/**
 * Plays the extension host for a page: answers `ready` with a snapshot of a recorded run of
 * a real config, and detail requests by the same replay the extension uses; asks the panel
 * what it shows, as the extension's API does.
 */
export class FakeHost {
  readonly received: WebviewToHost[] = [];
  private config!: TrainingConfig;
  private data!: Dataset;
  private run!: ReturnType<typeof recordRun>;
  private replayer!: Replayer;
  private nextDescription = 1;
  private readonly descriptions = new Map<number, (report: PanelReport) => void>();
  /** What `ready` is answered with; a test can swap it (problems, a run in progress …). */
  onReady: () => HostToWebview;

  constructor(
    private readonly page: Page,
    readonly configFile: string,
  ) {
    this.load(configFile);
    this.onReady = () => this.snapshot();
  }

  load(configFile: string): void {
    const loaded = loadConfigFile(configFile);
    if (!loaded.ok) throw new Error(`${configFile} does not load`);
    this.config = loaded.config;
    this.data = loaded.data;
    this.run = recordRun(this.config, this.data);
    this.replayer = new Replayer(this.config, this.data, this.run.recorder.summary, this.run.checkpoints);
  }

  get summary() {
    return this.run.recorder.summary;
  }

  snapshot(summary: RunSummary = this.summary): HostToWebview {
    return { type: 'snapshot', run: { file: this.configFile, name: path.basename(this.configFile) }, summary: packSummary(summary) };
  }

  async attach(): Promise<void> {
    await this.page.exposeFunction('__toHost', (message: unknown) => this.receive(message));
  }

  /** As VS Code delivers it: a structured clone, typed arrays kept. */
  async post(message: HostToWebview): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  /** What the panel says it shows now. */
  describe(): Promise<PanelReport> {
    const requestId = this.nextDescription++;
    const answer = new Promise<PanelReport>((resolve) => this.descriptions.set(requestId, resolve));
    void this.post({ type: 'describe', requestId });
    return answer;
  }

  /** Asks the panel what it shows until the answer passes `test` (within `timeoutMs`). */
  async until(test: (report: PanelReport) => boolean, timeoutMs = 20_000): Promise<PanelReport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const report = await this.describe();
      if (test(report)) return report;
      if (Date.now() > deadline) throw new Error(`the panel never showed what was expected; it shows ${JSON.stringify(report)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private receive(message: unknown): void {
    if (!isWebviewToHost(message)) throw new Error(`the panel sent a malformed message: ${JSON.stringify(message)}`);
    this.received.push(message);
    switch (message.type) {
      case 'ready':
        void this.post(this.onReady());
        break;
      case 'requestDetail':
        void this.replayer.detail(refOrThrow(this.summary, message.nodeId)).then((detail) => this.post({ type: 'detail', requestId: message.requestId, nodeId: message.nodeId, detail: detail && toWire(detail) }));
        break;
      case 'described':
        this.descriptions.get(message.requestId)?.(message.report);
        this.descriptions.delete(message.requestId);
        break;
      default:
        break;
    }
  }
}

function refOrThrow(summary: RunSummary, id: string) {
  const ref = refFromId(summary, id);
  if (!ref || !isDetailRef(ref)) throw new Error(`the panel asked for the numbers of a node that has none: ${id}`);
  return ref;
}

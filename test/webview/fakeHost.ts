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
import { label } from '../../src/core/words/label';
import { batchSizeVariants, runComparison, toWireComparison } from '../../src/host/compare';
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
  private readonly views = new Map<number, (view: { ids: string[]; more: number }) => void>();
  /** The last comparison's runs, as the host computed them. */
  comparedResults: Awaited<ReturnType<typeof runComparison>['result']> | undefined;
  /** What `ready` is answered with; a test can swap it (problems, a run in progress …). */
  onReady: () => HostToWebview;

  /** `given`: a config and its data made in memory (the benchmark's networks), named `configFile`. */
  constructor(
    private readonly page: Page,
    readonly configFile: string,
    given?: { config: TrainingConfig; data: Dataset },
  ) {
    this.load(configFile, given);
    this.onReady = () => this.snapshot();
  }

  load(configFile: string, given = loadOrThrow(configFile)): void {
    this.config = given.config;
    this.data = given.data;
    this.run = recordRun(this.config, this.data);
    this.replayer = new Replayer(this.config, this.data, this.run.recorder.summary, this.run.checkpoints);
  }

  get summary() {
    return this.run.recorder.summary;
  }

  snapshot(summary: RunSummary = this.summary): HostToWebview {
    return { type: 'snapshot', run: { kind: 'config', file: this.configFile, name: path.basename(this.configFile) }, summary: packSummary(summary) };
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

  /** The rows the panel shows, as it tells an export. */
  sharedView(): Promise<{ ids: string[]; more: number }> {
    const requestId = this.nextDescription++;
    const answer = new Promise<{ ids: string[]; more: number }>((resolve) => this.views.set(requestId, resolve));
    void this.post({ type: 'shareView', requestId });
    return answer;
  }

  /** The numbers of a node, as the extension answers the panel. */
  detail(nodeId: string) {
    return this.replayer.detail(refOrThrow(this.summary, nodeId));
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

  /** Compares batch sizes as the extension's host does: the same module, real workers. */
  private async compare(): Promise<void> {
    await this.post({ type: 'comparison' });
    const results = await runComparison(batchSizeVariants(this.config, this.data), WORKER).result;
    this.comparedResults = results;
    const title = label('compare.title.batchSizes', { name: path.basename(this.configFile), seed: this.config.seed });
    await this.post({ type: 'comparison', comparison: toWireComparison(title, results) });
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
      case 'sharedView':
        this.views.get(message.requestId)?.({ ids: message.ids, more: message.more });
        this.views.delete(message.requestId);
        break;
      case 'compare':
        void this.compare();
        break;
      default:
        break;
    }
  }
}

function loadOrThrow(configFile: string): { config: TrainingConfig; data: Dataset } {
  const loaded = loadConfigFile(configFile);
  if (!loaded.ok) throw new Error(`${configFile} does not load`);
  return loaded;
}

/** Where the bundled trainer's worker is: the comparison runs its configs there, as the extension does. */
const WORKER = path.join(REPO, 'dist', 'trainerWorker.js');

function refOrThrow(summary: RunSummary, id: string) {
  const ref = refFromId(summary, id);
  if (!ref || !isDetailRef(ref)) throw new Error(`the panel asked for the numbers of a node that has none: ${id}`);
  return ref;
}

import { isPanelState, type PanelState } from '../src/shared/panelState';
import { isHostToWebview, type HostToWebview, type WebviewToHost } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The panel's typed, checked channel to the extension host, and its saved state. */
export class Channel {
  private readonly api = acquireVsCodeApi();

  post(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  /** Calls `handler` with every valid message from the host; malformed ones are reported and dropped. */
  listen(handler: (message: HostToWebview) => void): void {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (isHostToWebview(event.data)) handler(event.data);
      else console.warn('Training Trace: ignored a malformed message from the host', event.data);
    });
  }

  loadState(): PanelState | undefined {
    const state = this.api.getState();
    return isPanelState(state) ? state : undefined;
  }

  saveState(state: PanelState): void {
    this.api.setState(state);
  }
}

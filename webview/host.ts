import { isHostToWebview, type HostToWebview, type WebviewToHost } from '../src/shared/protocol';

/** The panel's saved UI state (versioned: an old shape is dropped, not misread). */
export interface PanelState {
  v: 1;
  /** The config shown, so a window reload can run it again. */
  file?: string;
  expansion: { allExpanded: boolean; ids: string[] };
  onlyCorrections: boolean;
  showOutline: boolean;
  selected?: string;
  scrollTop: number;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The typed, checked channel to the extension host. */
export class Host {
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
    const state = this.api.getState() as Partial<PanelState> | undefined;
    return state?.v === 1 ? (state as PanelState) : undefined;
  }

  saveState(state: PanelState): void {
    this.api.setState(state);
  }
}

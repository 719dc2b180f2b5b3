import { provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeCheckbox, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';

/**
 * The only place the panel touches @vscode/webview-ui-toolkit: it registers the controls the
 * toolbar and the details use. The toolkit is deprecated (its FAST base was retired); moving to
 * @vscode-elements/elements is a change to this file and the tag names in toolbar.ts and details.ts.
 */
export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeBadge(), vsCodeProgressRing());
}

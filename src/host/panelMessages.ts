import { isWebviewToHost, type WebviewToHost } from '../shared/protocol';

/**
 * The host's gate for what the panel's webview posts: a message is used only when it is one of
 * the protocol's, every field the right type, in range and no larger than it should be.
 * Anything else is ignored, and logged in one short line (never the message itself, which
 * may be huge or nested a million deep).
 */
export function acceptPanelMessage(raw: unknown, log: (line: string) => void): WebviewToHost | undefined {
  if (isWebviewToHost(raw)) return raw;
  log(`Training Trace: ignored a malformed message from the panel (${summarize(raw)})`);
  return undefined;
}

/** What a rejected message was, in a few words: its type, and its keys. */
function summarize(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null) return typeof raw;
  if (Array.isArray(raw)) return `array[${raw.length}]`;
  const type = (raw as { type?: unknown }).type;
  const keys = Object.keys(raw);
  const shownType = typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type;
  return `type ${shownType}, keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
}

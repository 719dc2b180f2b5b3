import * as fs from 'node:fs';
import * as path from 'node:path';
import { label, type Label } from '../words/label';

/** Which files may be read, and how much of them. */
export interface ReadPolicy {
  /** The largest file read, in bytes: checked before reading and again while reading. */
  maxBytes: number;
  /**
   * When set, a data file must lie inside this folder once `..`, absolute paths and symbolic
   * links are resolved (the extension's workspace folder); unset, any path is read (the CLI).
   */
  root?: string;
}

/** The extension's setting that lets data files lie outside the workspace folder. */
export const OUTSIDE_SETTING = 'trainingTrace.data.allowOutsideWorkspace';

/** Bytes read at a time: memory stays bounded whatever the file's size. */
const CHUNK_BYTES = 1 << 20;

/** Why a file was not read, in the catalogue's words; `what` says whose file it is. */
export class ReadRefused extends Error {
  constructor(readonly why: Label) {
    super(why.id);
  }
}

/**
 * Opens a file for reading only if it is a regular file within the policy: never a device
 * (`/dev/zero` would never end), a FIFO or `/dev/stdin` (they would wait forever), a socket, or a
 * file larger than the limit. It is opened without blocking, so that a path swapped for a FIFO
 * after the check still cannot hang, and checked again once open. Throws ReadRefused, or Node's
 * errors (ENOENT, EACCES…) for the caller to describe.
 */
export function openRegularFile(file: string, policy: ReadPolicy, what: 'config' | 'data'): { fd: number; size: number } {
  if (policy.root !== undefined && what === 'data') checkInside(file, policy.root);
  const before = fs.statSync(file);
  if (before.isDirectory()) throw Object.assign(new Error(`${file} is a folder`), { code: 'EISDIR' });
  if (!before.isFile()) throw new ReadRefused(label(`read.notRegular.${what}`, { file }));
  checkSize(file, before.size, policy, what);
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) throw new ReadRefused(label(`read.notRegular.${what}`, { file }));
    checkSize(file, opened.size, policy, what);
    return { fd, size: opened.size };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/**
 * Reads an open file a chunk at a time, as text (UTF-8, a chunk may end inside a character),
 * handing each piece to `onText`, which returns false when it needs no more; stops with
 * ReadRefused if the file grows past the limit while it is read. Closes the file.
 */
export function readTextChunks(file: string, fd: number, policy: ReadPolicy, what: 'config' | 'data', onText: (text: string) => boolean): void {
  const decoder = new TextDecoder('utf-8');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let total = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      total += n;
      checkSize(file, total, policy, what);
      if (!onText(decoder.decode(buffer.subarray(0, n), { stream: true }))) return;
    }
    const rest = decoder.decode();
    if (rest) onText(rest);
  } finally {
    fs.closeSync(fd);
  }
}

/** A whole file as text (a config, a JSON data file), within the policy. */
export function readWholeText(file: string, policy: ReadPolicy, what: 'config' | 'data'): string {
  const { fd } = openRegularFile(file, policy, what);
  const parts: string[] = [];
  readTextChunks(file, fd, policy, what, (text) => parts.push(text) > 0);
  return parts.join('');
}

function checkSize(file: string, bytes: number, policy: ReadPolicy, what: 'config' | 'data'): void {
  if (bytes > policy.maxBytes) throw new ReadRefused(label(`read.tooLarge.${what}`, { file, max: size(policy.maxBytes) }));
}

/** "256 MB", or "100 bytes" for a limit under a megabyte. */
function size(bytes: number): Label {
  return bytes >= 2 ** 20 ? label('size.megabytes', { n: Math.floor(bytes / 2 ** 20) }) : label('size.bytes', { n: bytes });
}

/** Refuses a path that leaves `root`, judged on the real paths of both (symbolic links followed). */
function checkInside(file: string, root: string): void {
  const realRoot = realOrSame(root);
  const real = realOrSame(file);
  const relative = path.relative(realRoot, real);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) throw new ReadRefused(label('read.outside', { file, root, setting: OUTSIDE_SETTING }));
}

/** The real path, or, for a file that does not exist yet, the real path of its folder joined to its name. */
function realOrSame(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    const parent = path.dirname(file);
    return parent === file ? file : path.join(realOrSame(parent), path.basename(file));
  }
}

import type { LoadOptions, LoadResult } from '../core/load/loadConfig';

/** What the extension host asks the loader worker: check a config (its text, when an editor holds it) and read its data. */
export interface LoaderInput {
  file: string;
  /** The editor's text, saved or not; absent: read the file. */
  text?: string;
  options: LoadOptions;
}

/** The loader's one answer: the load's result, its data set in shared memory (nothing copied on the way to the trainer). */
export type LoaderMessage = { type: 'loaded'; result: LoadResult } | { type: 'failed'; message: string };

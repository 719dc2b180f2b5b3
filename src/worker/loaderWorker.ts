import { parentPort, workerData } from 'node:worker_threads';
import type { Dataset } from '../core/data/dataset';
import { loadConfigFile, loadConfigText } from '../core/load/loadConfig';
import type { LoaderInput, LoaderMessage } from './loaderMessages';

/**
 * Checks a config and reads its data file off the extension host's thread: a CSV of millions
 * of rows is parsed here, a chunk at a time, while the host goes on answering. The data set's
 * arrays are moved into shared memory, so neither the host nor the trainer's worker copies it.
 */
const input = workerData as LoaderInput;
const post = (message: LoaderMessage) => parentPort!.postMessage(message);

try {
  const result = input.text === undefined ? loadConfigFile(input.file, input.options) : loadConfigText(input.file, input.text, input.options);
  if (result.ok) result.data = shared(result.data);
  post({ type: 'loaded', result });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}

function shared(data: Dataset): Dataset {
  const copy = (values: Float64Array) => {
    const array = new Float64Array(new SharedArrayBuffer(values.byteLength));
    array.set(values);
    return array;
  };
  return { ...data, inputs: copy(data.inputs), targets: copy(data.targets) };
}

import { layerValuesNorm } from '../model/parameters';
import { tallyLoopBatch } from '../run/loop';
import { SummaryRecorder, type RunSummary } from '../run/summary';
import { locateFault, readTraceLine, type Fault } from '../trace/checkEvent';
import type { TraceEvent, UpdateEvent } from '../trace/events';
import { LineSplitter, MAX_LINE_BYTES, type RawLine } from '../trace/lines';
import { globalBatch } from '../train/schedule';
import { jsonPlace, type Problem } from '../validation/problems';
import { label, verbatim, type Label } from '../words/label';
import { BatchIndex, type LinePlace } from './batchIndex';
import { TraceSequence, type SequenceObserver } from './sequence';
import { tracedRun, type TracedRun } from './tracedRun';

/**
 * Reads a trace (JSONL, trace contract v1) as it streams in, bytes in, and builds what the
 * tree is drawn from: the run's summary (a few numbers per node), and an index of where each
 * batch is written, so any node's full numbers can be read back from the file when asked
 * (`TraceDetails`). Memory stays bounded whatever the file's size: lines pass through one at a
 * time and only the summary and the index are kept.
 *
 * Nothing the producer wrote is trusted. The first line that is not JSON, an event missing a
 * key or holding a wrong value, an event out of order, a size beyond the limits: each is a
 * problem located at its line and column, and the reading stops there, keeping everything
 * before it. Event types the contract does not name are skipped, with one note per type.
 */
export class TraceReader {
  /** Known once the first line (the run event) has been read. */
  run: TracedRun | undefined;
  summary: RunSummary | undefined;
  readonly index = new BatchIndex();
  /** Where the init event is (the weights as initialised). */
  init: LinePlace | undefined;
  /** Where the last update event read is. */
  private lastUpdate: LinePlace | undefined;
  /** Why the reading stopped early: a problem at its line. */
  error: Problem | undefined;
  private readonly splitter = new LineSplitter();
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private sequence: TraceSequence | undefined;
  private recorder: SummaryRecorder | undefined;
  private current: RawLine | undefined;
  private finished = false;
  /** Notes by kind: the first of each kind, located, and how many more there were. */
  private readonly noted = new Map<string, { problem: Problem; more: number }>();

  constructor(readonly file: string) {}

  /** True once nothing more will be read: the trace ended, a problem stopped it, or the input ended. */
  get done(): boolean {
    return this.finished || this.error !== undefined || (this.sequence?.ended ?? false);
  }

  /** Where the complete lines read so far end: every event before it is in the summary. */
  get bytesRead(): number {
    return this.splitter.position.offset;
  }

  /** The notes: events skipped, each kind once with how many more there were. */
  get notes(): Problem[] {
    return [...this.noted.values()].map(({ problem, more }) => (more === 0 ? problem : { ...problem, message: label('trace.note.more', { note: problem.message, n: more }) }));
  }

  /** The error, if any, and the notes: everything to report about the file. */
  get problems(): Problem[] {
    return this.error ? [this.error, ...this.notes] : this.notes;
  }

  /** Feeds the next bytes of the file; false once the reading has stopped (a problem, or the trace's end). */
  push(bytes: Uint8Array): boolean {
    if (this.done) return false;
    this.splitter.push(bytes, (line) => this.line(line, false));
    return !this.done;
  }

  /**
   * The input has ended (the whole file was read, or a followed file will not grow any more):
   * a last line without its "\n" is read, and a trace without its `done` or `diverged` event
   * is reported as cut short.
   */
  finish(): void {
    if (this.done) {
      this.finished = true;
      return;
    }
    this.splitter.finish((line) => this.line(line, true));
    if (!this.error && !this.sequence?.ended) {
      const { number } = this.splitter.position;
      this.fail({ severity: 'error', file: this.file, line: this.run ? number : 1, column: 1, path: label('trace.place.end'), message: label(this.run ? 'trace.unfinished' : 'trace.empty') });
    }
    this.finished = true;
  }

  /** The reading is given up before the end (the learner stopped it): the run reads as stopped, with no problem. */
  abandon(): void {
    if (this.done) return;
    this.finished = true;
    this.stopSummary();
  }

  /** Stops the reading where it is, for a reason found outside the lines (the file cannot be read, or shrank). */
  failHere(message: Label, place: Label): void {
    if (this.done) return;
    this.fail({ severity: 'error', file: this.file, line: this.splitter.position.number, column: 1, path: place, message });
  }

  private line(raw: RawLine, unterminated: boolean): boolean {
    this.current = raw;
    const at = { severity: 'error' as const, file: this.file, line: raw.number, column: 1, path: label('trace.place.line') };
    if (raw.tooLong) return this.fail({ ...at, message: label('trace.tooLong', { max: MAX_LINE_BYTES / (1024 * 1024) }) });
    let text: string;
    try {
      text = this.decoder.decode(raw.bytes);
    } catch {
      return this.fail({ ...at, message: label('trace.notUtf8') });
    }
    const read = readTraceLine(text);
    switch (read.kind) {
      case 'blank':
        return true;
      case 'fault':
        // A last line that does not parse, with no "\n" after it: the file ends in the middle of an event.
        if (unterminated && read.fault.message.id === 'trace.notJson') return this.fail({ ...at, column: raw.bytes.length + 1, message: label('trace.cutShort') });
        return this.fail(locateFault(this.file, raw.number, text, read.fault));
      case 'unknown':
        if (!this.run) return this.fail({ ...at, message: label('trace.firstLine', { type: read.type }) });
        this.note(`type:${read.type}`, () => ({ ...at, severity: 'warning', path: jsonPlace(['type']), message: label('trace.note.unknownType', { type: read.type }) }));
        return true;
      case 'event':
        return this.event(read.event, text);
    }
  }

  private event(event: TraceEvent, text: string): boolean {
    const raw = this.current!;
    const located = (fault: Fault, severity: Problem['severity'] = 'error') => locateFault(this.file, raw.number, text, fault, severity);
    if (!this.run) {
      if (event.type !== 'run') return this.fail({ severity: 'error', file: this.file, line: raw.number, column: 1, path: label('trace.place.line'), message: label('trace.firstLine', { type: event.type }) });
      const run = tracedRun(event);
      if ('path' in run) return this.fail(located(run));
      this.start(run);
      return true;
    }
    const verdict = this.sequence!.accept(event);
    if (verdict && 'fault' in verdict) return this.fail(located(verdict.fault));
    if (verdict) this.note(verdict.note.id, () => located({ path: [], message: verdict.note }, 'warning'));
    else if (event.type === 'init') this.init = { offset: raw.start, line: raw.number };
    return true;
  }

  private start(run: TracedRun): void {
    this.run = run;
    const recorder = new SummaryRecorder(run.shape);
    this.recorder = recorder;
    this.summary = recorder.summary;
    const { schedule } = run.shape;
    const here = (): LinePlace => ({ offset: this.current!.start, line: this.current!.number });
    // A recorded loop that reduced its losses itself says how in its updates: the first one decides the run's reduction.
    let reductionKnown = !run.reductionFromUpdates;
    const learnReduction = (update: UpdateEvent) => {
      if (reductionKnown) return;
      run.shape.reduction = update.reduction;
      reductionKnown = true;
    };
    const observer: SequenceObserver = {
      epochStart: (_epoch, order) => recorder.epochStart(order),
      batchStart: (epoch, batch) => this.index.begin(globalBatch(schedule, epoch, batch), here()),
      point: (_epoch, _batch, _position, forward, backward) => recorder.point(forward.loss, backward ? layerValuesNorm(backward.gradient) : NaN),
      update: (epoch, batch, update, loop) => {
        if (update) learnReduction(update);
        const g = globalBatch(schedule, epoch, batch);
        recorder.update(update ? layerValuesNorm(update.gradient) : NaN, loop);
        if (update) this.lastUpdate = here();
        // A batch of a recorded loop that did not step leaves the weights where the last update (or the init) left them.
        this.index.updated(g, update ? here() : (this.lastUpdate ?? this.init!));
        if (loop) tallyLoopBatch(recorder.summary, epoch, batch);
      },
      step: (_epoch, _batch, update) => {
        learnReduction(update);
        this.lastUpdate = here();
      },
      epochEnd: (_epoch, loss) => loss !== undefined && recorder.epochEnd(loss),
      end: (event) => {
        if (event.type === 'done') recorder.finish('done');
        // The trace says what went wrong in its own words: they are shown as they are.
        else recorder.finish('diverged', { epoch: event.epoch, batch: event.batch, ...(event.index === undefined ? {} : { index: event.index }), stage: event.stage, message: verbatim(event.message) });
      },
    };
    this.sequence = new TraceSequence(run, observer);
  }

  /** Keeps the first note of each kind, located (`problem` re-parses its line, so only then), and counts the rest. */
  private note(kind: string, problem: () => Problem): void {
    const known = this.noted.get(kind);
    if (known) known.more++;
    else this.noted.set(kind, { problem: problem(), more: 0 });
  }

  private fail(problem: Problem): false {
    this.error = problem;
    this.stopSummary();
    return false;
  }

  private stopSummary(): void {
    if (this.summary?.status === 'running') this.recorder!.finish('stopped');
  }
}

/** Reads events already in hand, as the lines of a file would bring them (tests compare the two ways of making a summary). */
export function readTraceEvents(events: Iterable<TraceEvent>, file = 'trace.jsonl'): TraceReader {
  const reader = new TraceReader(file);
  const encoder = new TextEncoder();
  for (const event of events) if (!reader.push(encoder.encode(`${JSON.stringify(event)}\n`))) break;
  reader.finish();
  return reader;
}

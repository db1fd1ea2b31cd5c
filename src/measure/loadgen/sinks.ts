/**
 * Event sinks: an in-memory array, a JSONL file (one event per line, appended through a
 * buffered write stream), and a tee.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { eventLine, type EventSink, type LoadgenEvent } from './events.js';

/** Keeps every event in order. */
export class MemorySink implements EventSink {
  readonly events: LoadgenEvent[] = [];
  write(event: LoadgenEvent): void {
    this.events.push(event);
  }
}

/** Writes JSONL to `path` (directories created; the file truncated). Call `close()` at the end. */
export class JsonlFileSink implements EventSink {
  private readonly stream: WriteStream;
  private failure: Error | null = null;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.stream.on('error', (e) => {
      this.failure = e;
    });
  }

  write(event: LoadgenEvent): void {
    if (this.failure === null) this.stream.write(eventLine(event));
  }

  /** Flush and close; rejects with the first write error, if any. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.end(() => (this.failure ? reject(this.failure) : resolve()));
    });
  }
}

/** Every event to each sink, in order. */
export const teeSink = (...sinks: EventSink[]): EventSink => ({
  write: (event) => {
    for (const s of sinks) s.write(event);
  },
});

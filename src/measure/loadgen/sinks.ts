/**
 * Event sinks: an in-memory log, a JSONL file (one event per line, appended in batches through
 * a write stream), and a tee.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import {
  eventLine,
  type ChunkContent,
  type ChunkEvent,
  type ChunkTokenBasis,
  type DispatchedEvent,
  type EventSink,
  type FirstByteEvent,
  type LoadgenEvent,
  type StatusEvent,
} from './events.js';

/**
 * Record codes of the compact form; chunk codes add the flag bits below. OBJECT: an event kept
 * whole (its second number indexes the objects).
 */
const OBJECT = 0;
const DISPATCHED = 1;
const FIRST_BYTE = 2;
const STATUS = 3;
const CHUNK = 4;
const CHUNK_CHOICES = 8;
const CHUNK_USAGE_DELTA = 16;
/** `content` of a chunk, times 32: null, text, reasoning, tool-call. */
const CONTENTS: readonly (ChunkContent | null)[] = [null, 'text', 'reasoning', 'tool-call'];
const CONTENT_SHIFT = 32;
/** Numbers per event in the compact form: code, request id (or object index), time, value. */
const COMPACT_FIELDS = 4;

/**
 * Writes the compact form of `event` — four numbers: code, request id, time, status or tokens —
 * at `out[i … i + 3]` for the per-request events that come by the thousand per second
 * (`dispatched`, `status`, `first-byte`, `chunk`) when they have exactly the fields the client
 * writes, so that `decodeCompact` rebuilds an identical object; otherwise writes
 * `[OBJECT, objectIndex, 0, 0]` and returns false (the caller keeps the event at that index).
 */
function encodeCompact(
  event: LoadgenEvent,
  out: Float64Array,
  i: number,
  objectIndex: number,
): boolean {
  let code = OBJECT;
  let value = 0;
  switch (event.type) {
    case 'chunk': {
      const content = CONTENTS.indexOf(event.content);
      if (content >= 0 && isChunkBasis(event.tokenBasis) && isExactly(event, CHUNK_KEYS)) {
        code =
          CHUNK +
          (event.choices ? CHUNK_CHOICES : 0) +
          (event.tokenBasis === 'usage-delta' ? CHUNK_USAGE_DELTA : 0) +
          content * CONTENT_SHIFT;
        value = event.tokens;
      }
      break;
    }
    case 'dispatched':
    case 'first-byte':
      if (isExactly(event, SIMPLE_KEYS))
        code = event.type === 'dispatched' ? DISPATCHED : FIRST_BYTE;
      break;
    case 'status':
      if (isExactly(event, STATUS_KEYS)) {
        code = STATUS;
        value = event.httpStatus;
      }
      break;
  }
  if (code === OBJECT) {
    out[i] = OBJECT;
    out[i + 1] = objectIndex;
    out[i + 2] = 0;
    out[i + 3] = 0;
    return false;
  }
  out[i] = code;
  out[i + 1] = (event as { requestId: number }).requestId;
  out[i + 2] = event.tSeconds;
  out[i + 3] = value;
  return true;
}

/** The event whose compact form is at `block[i … i + 3]` (`objects`: the events kept whole). */
function decodeCompact(
  block: Float64Array,
  i: number,
  objects: readonly LoadgenEvent[],
): LoadgenEvent {
  const code = block[i]!;
  const requestId = block[i + 1]!;
  const tSeconds = block[i + 2]!;
  const x = block[i + 3]!;
  if (code === OBJECT) return objects[requestId]!;
  if (code === DISPATCHED)
    return { type: 'dispatched', requestId, tSeconds } satisfies DispatchedEvent;
  if (code === FIRST_BYTE)
    return { type: 'first-byte', requestId, tSeconds } satisfies FirstByteEvent;
  if (code === STATUS)
    return { type: 'status', requestId, tSeconds, httpStatus: x } satisfies StatusEvent;
  const flags = code - CHUNK;
  return {
    type: 'chunk',
    requestId,
    tSeconds,
    choices: (flags & CHUNK_CHOICES) !== 0,
    content: CONTENTS[Math.floor(flags / CONTENT_SHIFT)] ?? null,
    tokens: x,
    tokenBasis: (flags & CHUNK_USAGE_DELTA) !== 0 ? 'usage-delta' : 'one-per-chunk',
  } satisfies ChunkEvent;
}

/** Events per block of the compact store. */
const BLOCK_EVENTS = 8192;
const BLOCK_LENGTH = BLOCK_EVENTS * COMPACT_FIELDS;

/**
 * Keeps every event in order. The per-request events that come by the thousand per second —
 * `dispatched`, `status`, `first-byte` and above all `chunk` — are stored in their compact form
 * (`encodeCompact`: four numbers each) in fixed blocks of doubles (`Float64Array`, outside
 * the JavaScript heap), not as objects: the log grows without objects for the garbage collector
 * to copy and trace, and without a growing array to copy, which at thousands of streams is what
 * paused the client's event loop. `events` rebuilds them as plain objects with the same fields
 * in the same order (so `JSON.stringify` of each is unchanged); other events, and any of those
 * types with other keys or values, are kept as given.
 */
export class MemorySink implements EventSink {
  /** COMPACT_FIELDS numbers per event; code OBJECT points into `objects`. */
  private readonly blocks: Float64Array[] = [];
  private block = new Float64Array(0);
  /** Next free index in `block`. */
  private at = 0;
  private count = 0;
  private readonly objects: LoadgenEvent[] = [];
  /** Events rebuilt so far (`events` extends it with the ones written since). */
  private readonly built: LoadgenEvent[] = [];

  write(event: LoadgenEvent): void {
    if (this.at === this.block.length) {
      this.block = new Float64Array(BLOCK_LENGTH);
      this.blocks.push(this.block);
      this.at = 0;
    }
    if (!encodeCompact(event, this.block, this.at, this.objects.length)) this.objects.push(event);
    this.at += COMPACT_FIELDS;
    this.count++;
  }

  /** Every event written, in order (the same array, extended, on each call). */
  get events(): LoadgenEvent[] {
    const { blocks, objects, built } = this;
    for (let k = built.length; k < this.count; k++)
      built.push(
        decodeCompact(
          blocks[Math.floor(k / BLOCK_EVENTS)]!,
          (k % BLOCK_EVENTS) * COMPACT_FIELDS,
          objects,
        ),
      );
    return built;
  }
}

const isChunkBasis = (v: unknown): v is ChunkTokenBasis =>
  v === 'one-per-chunk' || v === 'usage-delta';

const SIMPLE_KEYS = ['type', 'requestId', 'tSeconds'] as const;
const STATUS_KEYS = ['type', 'requestId', 'tSeconds', 'httpStatus'] as const;
const CHUNK_KEYS = [
  'type',
  'requestId',
  'tSeconds',
  'choices',
  'content',
  'tokens',
  'tokenBasis',
] as const;

/**
 * The event has exactly these own keys in this order, with number values for the numeric ones
 * (what the client writes): only then is the compact form rebuilt to an identical object.
 */
function isExactly(event: LoadgenEvent, keys: readonly string[]): boolean {
  let k = 0;
  for (const key in event) {
    if (key !== keys[k]) return false;
    k++;
  }
  if (k !== keys.length) return false;
  const e = event as unknown as Record<string, unknown>;
  return (
    typeof e.requestId === 'number' &&
    typeof e.tSeconds === 'number' &&
    (e.httpStatus === undefined || typeof e.httpStatus === 'number') &&
    (e.tokens === undefined || typeof e.tokens === 'number') &&
    (e.choices === undefined || typeof e.choices === 'boolean')
  );
}

/** Pending JSONL text is handed to the stream at this size, or at the end of the tick. */
const FLUSH_CHARS = 64 * 1024;

/**
 * Writes JSONL to `path` (directories created; the file truncated). Call `close()` at the end.
 * Lines are gathered into one string and handed to the stream once it holds 64 Ki characters or
 * when the current turn of the event loop ends (one write per batch, not per event); the bytes
 * written are the same.
 */
export class JsonlFileSink implements EventSink {
  private readonly stream: WriteStream;
  private failure: Error | null = null;
  private pending = '';
  private flushScheduled = false;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.stream.on('error', (e) => {
      this.failure = e;
    });
  }

  write(event: LoadgenEvent): void {
    if (this.failure !== null) return;
    this.pending += eventLine(event);
    if (this.pending.length >= FLUSH_CHARS) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushLater);
    }
  }

  private readonly flushLater = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  private flush(): void {
    if (this.pending === '') return;
    if (this.failure === null) this.stream.write(this.pending);
    this.pending = '';
  }

  /** Flush and close; rejects with the first write error, if any. */
  close(): Promise<void> {
    this.flush();
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

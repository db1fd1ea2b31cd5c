/**
 * Running one stage in real time: requests are pulled from a twin `WorkloadSource` and sent at
 * their *intended* times, on an absolute schedule — each intended time is `stage start +
 * arrivalSeconds`, never "previous send + gap", so a late send does not shift the ones after it
 * and latencies count from the intended time (no coordinated omission; vLLM issue #54101,
 * GuideLLM issue #1048). Dispatch lag = actual send − intended send is logged per request.
 *
 * Closed-loop clients and agent sessions come back through the source's `onComplete` with
 * the completion time (closed loop: the next request at once; sessions: after think time), so
 * the twin's workload semantics hold unchanged. Failed requests are reported `ok = false`.
 *
 * Stopping: no request is intended at or after `durationSeconds`, and at most `maxRequests`
 * are sent; in-flight requests then drain until `drainSeconds` after the last intended time,
 * when the rest are cancelled (`error` of kind `cancelled`). Timers: one at a time, aimed at
 * the next intended send — a `setTimeout` of the whole milliseconds left, then `setImmediate`
 * for the sub-millisecond rest — and every request whose time has come is sent in that pass.
 * A completion re-aims it only when the next send changed (a released follow-up).
 */
import type { FollowUp, SimRequest, WorkloadSource } from '../../sim/types.js';
import { StreamingClient, type EndpointConfig } from './client.js';
import type { EventSink, LoadgenEvent } from './events.js';
import { promptText } from './prompt.js';

export interface StageOptions {
  stage: number;
  source: WorkloadSource;
  /** Class names by `SimRequest.classIndex`. */
  classNames: readonly string[];
  endpoint: EndpointConfig;
  sink: EventSink;
  /** Label and offered load written into `stage-start`. */
  label: string;
  offeredLoad: number | null;
  offeredLoadUnit: 'concurrency' | 'requests/s' | 'scenario';
  durationSeconds?: number;
  maxRequests?: number;
  /** Time allowed for in-flight requests after scheduling stops, seconds (default 60). */
  drainSeconds?: number;
  /** Salt of the synthetic prompt text (default: the stage index). */
  promptSalt?: number;
  /**
   * Time between setting up the stage and its t = 0, seconds (default 0.02): client creation
   * and first-call compilation happen before the schedule starts, not as dispatch lag.
   */
  startLeadSeconds?: number;
  /**
   * Connections opened before the stage's t = 0 (default 0), so that the first stream
   * lifetime is not spent setting them up: e.g. the concurrency, or the streams expected in
   * flight (`StreamingClient.preconnect`).
   */
  preconnect?: number;
}

export interface StageRunResult {
  numScheduled: number;
  numOk: number;
  numFailed: number;
  /** Wall time the stage took, seconds (drain included). */
  elapsedSeconds: number;
}

interface Due {
  atSeconds: number;
  seq: number;
  request: SimRequest;
}

/** Binary min-heap on (atSeconds, seq) for released follow-ups. */
class DueHeap {
  private readonly items: Due[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Due | undefined {
    return this.items[0];
  }
  push(d: Due): void {
    const h = this.items;
    h.push(d);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Due | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (a: Due, b: Due): boolean =>
  a.atSeconds < b.atSeconds || (a.atSeconds === b.atSeconds && a.seq < b.seq);

/**
 * Run one stage against the endpoint; resolves when every scheduled request has its terminal
 * event. Never rejects for request failures (they are events); rejects only for a workload
 * source that breaks its contract.
 */
export async function runStage(options: StageOptions): Promise<StageRunResult> {
  let t0Ms = Infinity; // set once the connections asked for are open
  const clock = (): number => (performance.now() - t0Ms) / 1000;
  const { sink, source, stage } = options;
  // Requests due while the event loop handles a batch of socket reads are sent between two
  // reads (`afterPiece`), not when the batch ends and the timer fires.
  let dueAtMs = Infinity;
  let pumpSoon: () => void = () => {};
  const client = new StreamingClient(options.endpoint, clock, sink, () => {
    if (performance.now() >= dueAtMs) pumpSoon();
  });
  if ((options.preconnect ?? 0) > 0) await client.preconnect(options.preconnect!);
  t0Ms = performance.now() + (options.startLeadSeconds ?? 0.02) * 1000;
  const durationSeconds = options.durationSeconds ?? Infinity;
  const maxRequests = options.maxRequests ?? Infinity;
  const drainSeconds = options.drainSeconds ?? 60;
  const salt = options.promptSalt ?? stage;
  const abort = new AbortController(); // one listener: the client's, for all requests
  const heap = new DueHeap();
  let seq = 0;
  let numScheduled = 0;
  let numOk = 0;
  let numFailed = 0;
  let inFlight = 0;
  let schedulingDone = false;
  let lastIntendedSeconds = 0;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  /** The intended time the armed timer or immediate waits for (NaN when none is armed). */
  let armedFor = NaN;
  let pumping = false;
  let drainTimer: NodeJS.Timeout | undefined;
  let durationTimer: NodeJS.Timeout | undefined;

  const write = (e: LoadgenEvent): void => sink.write(e);
  write({
    type: 'stage-start',
    stage,
    tSeconds: 0,
    startedAtIso: new Date(Date.now() + Math.max(0, -clock()) * 1000).toISOString(),
    label: options.label,
    offeredLoad: options.offeredLoad,
    offeredLoadUnit: options.offeredLoadUnit,
  });

  return new Promise<StageRunResult>((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(drainTimer);
      clearTimeout(durationTimer);
      client.close();
      write({
        type: 'stage-end',
        stage,
        tSeconds: clock(),
        durationSeconds: Number.isFinite(durationSeconds) ? durationSeconds : null,
      });
      resolve({ numScheduled, numOk, numFailed, elapsedSeconds: clock() });
    };

    const stopScheduling = (): void => {
      if (schedulingDone) return;
      schedulingDone = true;
      clearTimeout(timer);
      clearTimeout(durationTimer);
      if (immediate) clearImmediate(immediate);
      if (inFlight === 0) {
        finish();
        return;
      }
      const deadline =
        Math.max(lastIntendedSeconds, Math.min(clock(), durationSeconds)) + drainSeconds;
      drainTimer = setTimeout(() => abort.abort(), Math.max(0, (deadline - clock()) * 1000));
    };

    /** The next request due: the open-loop source's or a released follow-up, earlier first. */
    const peekDue = (): { atSeconds: number; fromHeap: boolean } | undefined => {
      const open = source.peekSeconds();
      const top = heap.peek();
      if (open === undefined && top === undefined) return undefined;
      if (top === undefined || (open !== undefined && open <= top.atSeconds))
        return { atSeconds: open!, fromHeap: false };
      return { atSeconds: top.atSeconds, fromHeap: true };
    };

    const dispatch = (request: SimRequest, intendedSeconds: number): void => {
      numScheduled++;
      inFlight++;
      lastIntendedSeconds = Math.max(lastIntendedSeconds, intendedSeconds);
      write({
        type: 'scheduled',
        requestId: request.id,
        stage,
        tSeconds: intendedSeconds,
        className: options.classNames[request.classIndex] ?? `class-${request.classIndex}`,
        ...(request.sessionId === undefined ? {} : { sessionId: request.sessionId }),
        promptTokens: request.promptTokens,
        maxTokens: request.outputTokens,
      });
      const prompt = promptText(request.segments, salt);
      void client
        .send({ requestId: request.id, prompt, maxTokens: request.outputTokens }, abort.signal)
        .then((outcome) => {
          inFlight--;
          if (outcome.ok) numOk++;
          else numFailed++;
          let followUps: FollowUp[] = [];
          try {
            followUps = source.onComplete(request, clock(), outcome.ok);
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
            return;
          }
          if (!schedulingDone)
            for (const f of followUps)
              heap.push({ atSeconds: f.atSeconds, seq: seq++, request: f.request });
          if (schedulingDone) {
            if (inFlight === 0) finish();
          } else pump();
        });
    };

    const disarm = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (immediate) clearImmediate(immediate);
      immediate = undefined;
      armedFor = NaN;
      dueAtMs = Infinity;
    };

    /** Fired by the timer or immediate: what it waited for may be due. */
    const onTimer = (): void => {
      timer = undefined;
      immediate = undefined;
      armedFor = NaN;
      dueAtMs = Infinity;
      pump();
    };

    const pump = (): void => {
      if (schedulingDone || pumping) return;
      pumping = true;
      try {
        for (;;) {
          if (numScheduled >= maxRequests) {
            disarm();
            stopScheduling();
            return;
          }
          const due = peekDue();
          if (due === undefined) {
            disarm();
            if (inFlight === 0) stopScheduling();
            return; // a completion will release more (closed loop, sessions)
          }
          if (due.atSeconds >= durationSeconds) {
            disarm();
            stopScheduling();
            return;
          }
          const waitMs = (due.atSeconds - clock()) * 1000;
          if (waitMs > 0) {
            // Already waiting for this send (a completion that released nothing earlier).
            if (due.atSeconds === armedFor) return;
            disarm();
            armedFor = due.atSeconds;
            dueAtMs = t0Ms + due.atSeconds * 1000;
            if (waitMs >= 1) timer = setTimeout(onTimer, Math.floor(waitMs));
            else immediate = setImmediate(onTimer);
            return;
          }
          const request = due.fromHeap ? heap.pop()!.request : source.next();
          if (request === undefined)
            throw new Error('runStage: the source peeked a request but gave none');
          dispatch(request, due.atSeconds);
        }
      } catch (e) {
        stopScheduling();
        reject(e instanceof Error ? e : new Error(String(e)));
      } finally {
        pumping = false;
      }
    };
    pumpSoon = pump;

    // Past the duration no request is intended; the drain clock starts even while the
    // pump idles waiting for completions (exhausted open-loop sources, closed loops).
    if (Number.isFinite(durationSeconds))
      durationTimer = setTimeout(stopScheduling, (durationSeconds - clock()) * 1000);
    pump();
  });
}

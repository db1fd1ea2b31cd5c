/**
 * In-memory run events for the SSE stream (`GET /api/runs/:id/events`): the run service emits
 * after it has written the store, so a subscriber that then reads the store never sees a state
 * older than the events it receives. One process (the coordinating server) owns every run it
 * emits for; nothing is persisted here.
 */
import type { RunStatus } from '../../store/types.js';

/**
 * How far a running sweep is, for the person watching it (the dashboard): `progress` events of
 * a `sweep` run's SSE stream carry it beside `fraction`. Not part of the result.
 */
export interface SweepProgress {
  /** Points evaluated so far, those answered from the store included. */
  done: number;
  /**
   * Points the sweep evaluates. Exact for a grid or a random search (one batch). For a capacity
   * search an upper bound (`totalIsBound`): every search still open runs every bisection round
   * its tolerance needs (at most maxIterations); it tightens as searches end.
   */
  total: number;
  totalIsBound: boolean;
  /** Points done that meet every constraint (a failed simulation does not). */
  feasible: number;
  /** Points done whose simulation failed for a reason of their own. */
  failed: number;
  /** Points done that were answered from the store. */
  cached: number;
  /** The batch being evaluated, from 1 (a grid or a random search has one). */
  batch: number;
  /** Seconds since the sweep started, by this process's clock. */
  elapsedSeconds: number;
}

export type FinalStatus = Extract<RunStatus, 'done' | 'failed' | 'cancelled'>;

export type RunEvent =
  | {
      type: 'progress';
      fraction: number;
      /** A sweep's points done/total, feasible so far, elapsed (sweep runs only). */
      sweep?: SweepProgress;
    }
  | { type: FinalStatus; id: string; status: FinalStatus };

export const isFinalStatus = (s: RunStatus): s is FinalStatus =>
  s === 'done' || s === 'failed' || s === 'cancelled';

export type RunListener = (event: RunEvent) => void;

export interface RunEventBus {
  /** Listen to one run's events; returns the unsubscribe function. */
  subscribe(runId: string, listener: RunListener): () => void;
  /** Deliver to the run's listeners; a final event also drops them (the stream ends). */
  emit(runId: string, event: RunEvent): void;
  /** Listeners now registered, all runs together (tests check that streams clean up). */
  listenerCount(): number;
}

export function createRunEventBus(): RunEventBus {
  const listeners = new Map<string, Set<RunListener>>();
  return {
    subscribe(runId, listener) {
      let set = listeners.get(runId);
      if (!set) listeners.set(runId, (set = new Set()));
      set.add(listener);
      return () => {
        const s = listeners.get(runId);
        if (!s) return;
        s.delete(listener);
        if (s.size === 0) listeners.delete(runId);
      };
    },
    emit(runId, event) {
      const set = listeners.get(runId);
      if (!set) return;
      if (event.type !== 'progress') listeners.delete(runId);
      for (const l of [...set]) l(event);
    },
    listenerCount() {
      let n = 0;
      for (const s of listeners.values()) n += s.size;
      return n;
    },
  };
}

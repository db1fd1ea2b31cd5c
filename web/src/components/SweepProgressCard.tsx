/**
 * A sweep's live progress (the run's SSE `progress` events, or `sweepProgress` when polling):
 * points done of the total, feasible so far, elapsed time, and Cancel (POST
 * /api/runs/:id/cancel). Kept, frozen, once the sweep has ended while watched.
 */
import { useEffect, useState } from 'preact/hooks';
import { fmtElapsed, elapsedNow, pointsText, progressLabel } from '../sweep-progress.js';
import type { RunStatus, SweepProgress } from '../types.js';
import { Badge, Card, KeyValues, Progress } from './ui.js';

export interface LiveSweep {
  id: string;
  fraction: number;
  sweep: SweepProgress | undefined;
  /** When the last figures came (ms, this page's clock). */
  at: number;
  /** Set once the sweep has ended. */
  ended?: Extract<RunStatus, 'done' | 'failed' | 'cancelled'>;
}

const END_KIND = { done: 'ok', failed: 'bad', cancelled: 'warn' } as const;

export function SweepProgressCard(props: {
  live: LiveSweep;
  status: RunStatus;
  onCancel?: () => void;
  cancelling?: boolean;
}) {
  const { live, status } = props;
  const p = live.sweep;
  const ended = live.ended !== undefined;
  // Re-render every second while it runs: the elapsed time moves on between events.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (ended) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ended]);
  const state = live.ended ?? status;
  return (
    <Card
      title={ended ? 'Sweep finished' : 'Sweep running'}
      testid="sweep-progress"
      actions={
        <>
          <Badge kind={live.ended ? END_KIND[live.ended] : 'info'}>{state}</Badge>
          {!ended && props.onCancel && (
            <button disabled={props.cancelling} onClick={props.onCancel} data-action="cancel-sweep">
              Cancel
            </button>
          )}
        </>
      }
    >
      <div
        data-state={state}
        data-done={p?.done}
        data-total={p?.total}
        data-feasible={p?.feasible}
        data-testid="sweep-progress-figures"
      >
        <Progress
          fraction={ended && live.ended === 'done' ? 1 : live.fraction}
          label={progressLabel(p, live.fraction)}
        />
        {p ? (
          <KeyValues
            items={[
              ['points done', <b data-testid="sweep-progress-points">{pointsText(p)}</b>],
              ['feasible so far', <span data-testid="sweep-progress-feasible">{p.feasible}</span>],
              ...(p.failed > 0
                ? ([['failed', `${p.failed} (simulation refused the point)`]] as [string, string][])
                : []),
              ...(p.cached > 0
                ? ([['from the store', `${p.cached} (already simulated)`]] as [string, string][])
                : []),
              ...(p.totalIsBound || p.batch > 1
                ? ([['batch', `${p.batch} (capacity search: one bisection round per batch)`]] as [
                    string,
                    string,
                  ][])
                : []),
              [
                'elapsed',
                <span data-testid="sweep-progress-elapsed">
                  {fmtElapsed(elapsedNow(p, live.at, now, ended))}
                </span>,
              ],
            ]}
          />
        ) : (
          <p class="muted">
            This server is not running this sweep (another process wrote it, or the server
            restarted): no point counts, only its stored share done.
          </p>
        )}
      </div>
    </Card>
  );
}

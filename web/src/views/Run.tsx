/**
 * One run: progress from the run's server-sent events (GET /api/runs/:id/events), then the
 * result (GET /api/runs/:id) — scorecard with bases, latency percentiles, time series.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, followRun } from '../api.js';
import { RunResult } from '../components/RunResult.js';
import { Badge, Card, ErrorBox, Loading, PageHeader, Progress } from '../components/ui.js';
import { useAction } from '../hooks.js';
import { href } from '../router.js';
import type { RunDetail, SimResult } from '../types.js';
import { STATUS_KIND } from './Runs.js';

export function RunView({ id }: { id: string }) {
  const [run, setRun] = useState<RunDetail<SimResult> | undefined>(undefined);
  const [progress, setProgress] = useState(0);
  const [error, setError] = useState<unknown>(undefined);
  const cancel = useAction(() => api.cancelRun(id));

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    setRun(undefined);
    setError(undefined);
    setProgress(0);
    const load = () =>
      api.run(id).then(
        (r) => {
          if (!cancelled) setRun(r);
          return r;
        },
        (e: unknown) => {
          if (!cancelled) setError(e);
          return undefined;
        },
      );
    void load().then((r) => {
      if (!r || cancelled) return;
      if (r.status === 'queued' || r.status === 'running') {
        setProgress(r.progress);
        stop = followRun(api, id, {
          onProgress: (f) => !cancelled && setProgress(f),
          onEnd: () => void load(),
          onError: (m) => !cancelled && setError(new Error(m)),
        });
      }
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [id]);

  const active = run && (run.status === 'queued' || run.status === 'running');
  return (
    <div>
      <PageHeader
        title={run?.result?.scenario.name ?? run?.scenarioName ?? `Run ${id}`}
        subtitle={
          <>
            <span class="mono">{id}</span>{' '}
            {run && <Badge kind={STATUS_KIND[run.status]}>{run.status}</Badge>}
          </>
        }
        actions={
          <>
            {active && (
              <button disabled={cancel.loading} onClick={() => void cancel.run()}>
                Cancel
              </button>
            )}
            {run?.status === 'done' && (
              <>
                <a class="button" href={href(['cost'], { source: `run:${id}` })} data-action="cost">
                  Cost of this run
                </a>
                <a
                  class="button"
                  href={href(['compare'], { a: `run:${id}` })}
                  data-action="compare"
                >
                  Compare…
                </a>
              </>
            )}
          </>
        }
      />
      <ErrorBox error={error} />
      <ErrorBox error={cancel.error} />
      {!run && !error && <Loading what="Loading the run" />}
      {active && (
        <Card title="Simulating">
          <Progress
            fraction={progress}
            label={`${run.status} — ${(progress * 100).toFixed(0)}% of simulated time`}
          />
        </Card>
      )}
      {run?.status === 'failed' && (
        <div class="error" data-testid="run-failed">
          The run failed: {JSON.stringify(run.error)}
        </div>
      )}
      {run?.status === 'cancelled' && <p class="muted">The run was cancelled.</p>}
      {run?.status === 'done' && run.result && <RunResult result={run.result} />}
    </div>
  );
}

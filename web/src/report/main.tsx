/**
 * The self-contained run report (`aifactory report <run> --html`): the same scorecard, latency
 * table and charts as the dashboard's run view, rendered from the result JSON embedded in the
 * page (`<script type="application/json" id="aifactory-data">`). No network.
 */
import { render } from 'preact';
import { RunResult } from '../components/RunResult.js';
import type { SimResult } from '../types.js';
import '../styles.css';
import './report.css';

export const DATA_ELEMENT_ID = 'aifactory-data';

function Report({ result, generatedBy }: { result: SimResult; generatedBy?: string }) {
  return (
    <div class="report">
      <header class="report-head">
        <div>
          <h1>{result.scenario.name}</h1>
          <p class="muted">
            aifactory run report — seed {result.scenario.seed},{' '}
            <span class="mono">{result.scenario.hash}</span>
          </p>
        </div>
        {generatedBy && <p class="muted">{generatedBy}</p>}
      </header>
      <RunResult result={result} />
    </div>
  );
}

function main() {
  const el = document.getElementById(DATA_ELEMENT_ID);
  const root = document.getElementById('app');
  if (!el || !root) return;
  const data = JSON.parse(el.textContent ?? '{}') as { result: SimResult; generatedBy?: string };
  render(
    <Report
      result={data.result}
      {...(data.generatedBy ? { generatedBy: data.generatedBy } : {})}
    />,
    root,
  );
}

main();

/**
 * Compare two results (POST /api/compare): each side a run or a scenario (estimated). Every
 * basis difference is listed and highlighted — red where it blocks a verdict, amber where it
 * does not (informational, or normalised on request) — and a verdict is given only on equal
 * bases.
 */
import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { basisFieldRows, compareRatioOption } from '../charts/compare.js';
import { Chart } from '../components/Chart.js';
import { resolveSource, resolveYaml, SourcePicker } from '../components/SourcePicker.js';
import { Badge, Card, ErrorBox, Loading, PageHeader } from '../components/ui.js';
import { fmtNum, fmtValue } from '../format.js';
import { useAction } from '../hooks.js';
import type { Route } from '../router.js';
import { examples, getEditor } from '../state.js';
import type { CompareSide, MetricComparison } from '../types.js';

const NORMALISABLE = [
  'model',
  'workload',
  'slo',
  'utilization',
  'currencyYear',
  'provenance',
  'energyPriceUsdPerKwh',
];

async function side(value: string): Promise<CompareSide> {
  const ref = await resolveSource(value);
  if ('runId' in ref) return { runId: ref.runId };
  return { yaml: await resolveYaml(value) };
}

const showValue = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function Verdict({ p }: { p: MetricComparison }) {
  if (p.verdict)
    return (
      <span class={`verdict-${p.verdict.better}`} title={p.verdict.text}>
        {p.verdict.better === 'equal'
          ? 'equal'
          : `${p.verdict.better} better by ${fmtNum(p.verdict.percent)}%`}
      </span>
    );
  return (
    <span class="muted" title={p.refusal}>
      no verdict{p.blocking.length ? ' (bases differ)' : ''}
    </span>
  );
}

function PairRow({ p, i }: { p: MetricComparison; i: number }) {
  const [open, setOpen] = useState(false);
  const blocking = new Set(p.blocking.map((d) => d.field as string));
  return (
    <Fragment>
      <tr
        data-pair={p.name}
        class={open ? 'selected' : ''}
        onClick={() => setOpen(!open)}
        style={{ cursor: 'pointer' }}
      >
        <td>
          {open ? '▾' : '▸'} {p.name}
        </td>
        <td class="num">{fmtValue(p.a.value, p.a.unit)}</td>
        <td class="num">{fmtValue(p.b.value, p.b.unit)}</td>
        <td>
          <Verdict p={p} />
        </td>
        <td data-testid={`diffs-${i}`}>
          {p.differences.length === 0 && <span class="muted">same basis</span>}
          {p.differences.map((d) => (
            <span
              key={d.field}
              class={`diff-chip ${blocking.has(d.field) ? 'diff-blocking' : 'diff-info'}`}
              data-diff={d.field}
              title={`a: ${showValue(d.a)}\nb: ${showValue(d.b)}`}
            >
              {d.field}
            </span>
          ))}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}>
            <table class="table compact">
              <thead>
                <tr>
                  <th>basis field</th>
                  <th>a</th>
                  <th>b</th>
                </tr>
              </thead>
              <tbody>
                {basisFieldRows(p).map((r) => (
                  <tr
                    key={r.field}
                    class={r.differs ? (r.blocking ? 'diff-blocking' : 'diff-info') : ''}
                  >
                    <td class="mono">{r.field}</td>
                    <td>{r.a}</td>
                    <td>{r.b}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {p.refusal && <p class="muted">{p.refusal}</p>}
            {p.verdict && <p>{p.verdict.text}</p>}
            {p.normalisations.map((n, k) => (
              <p key={k} class="muted">
                {n.text}
              </p>
            ))}
          </td>
        </tr>
      )}
    </Fragment>
  );
}

export function CompareView({ route }: { route: Route }) {
  const [a, setA] = useState(
    () => route.query.get('a') ?? (getEditor().yaml.trim() ? 'editor' : ''),
  );
  const [b, setB] = useState(() => route.query.get('b') ?? '');
  // Defaults from the examples: the first two scenarios (a keeps the editor when it has text).
  useEffect(() => {
    if (a && b) return;
    void examples().then((ex) => {
      const ids = ex.filter((e) => e.kind === 'scenario').map((e) => `example:${e.id}`);
      if (!a && ids[0]) setA(ids[0]);
      if (!b) setB(ids.find((x) => x !== a && x !== ids[0]) ?? ids[1] ?? ids[0] ?? '');
    });
  }, []);
  const [assumeEqual, setAssumeEqual] = useState<string[]>([]);
  const compare = useAction(async () =>
    api.compare(await side(a), await side(b), assumeEqual.length ? { assumeEqual } : {}),
  );
  const r = compare.data;
  const ratio = useMemo(() => (r ? compareRatioOption(r) : null), [r]);
  const withVerdict = r?.pairs.filter((p) => p.verdict).length ?? 0;
  const basesDiffer = r?.pairs.filter((p) => !p.verdict && p.blocking.length > 0).length ?? 0;

  return (
    <div>
      <PageHeader
        title="Compare"
        subtitle="Two results side by side. A verdict only where the bases are equal (or you assert a field equal); every basis difference is listed."
      />
      <Card title="Sides">
        <div class="grid-2">
          <div class="side-pick">
            <h3>a</h3>
            <SourcePicker
              value={a}
              onChange={setA}
              runs
              label="Run or scenario"
              testid="compare-a"
            />
          </div>
          <div class="side-pick">
            <h3>b</h3>
            <SourcePicker
              value={b}
              onChange={setB}
              runs
              label="Run or scenario"
              testid="compare-b"
            />
          </div>
        </div>
        <h3>Assume equal (normalise these fields)</h3>
        <div class="checks">
          {NORMALISABLE.map((f) => (
            <label key={f}>
              <input
                type="checkbox"
                checked={assumeEqual.includes(f)}
                onChange={() =>
                  setAssumeEqual((s) => (s.includes(f) ? s.filter((x) => x !== f) : [...s, f]))
                }
              />
              {f}
            </label>
          ))}
        </div>
        <p style={{ marginTop: '10px' }}>
          <button
            class="primary"
            disabled={compare.loading || !a || !b}
            onClick={() => void compare.run()}
            data-action="compare"
          >
            Compare
          </button>
        </p>
      </Card>
      {compare.loading && <Loading what="Comparing" />}
      <ErrorBox error={compare.error} />
      {r && ratio && (
        <div data-testid="compare-result">
          <Card
            title={
              <>
                a: {r.a} — b: {r.b}
              </>
            }
          >
            <div class="stats">
              <div class="stat">
                <span>metrics paired</span>
                <b>{r.pairs.length}</b>
              </div>
              <div class="stat">
                <span>with a verdict</span>
                <b>{withVerdict}</b>
              </div>
              <div class="stat">
                <span>no verdict: bases differ</span>
                <b>{basesDiffer}</b>
              </div>
              <div
                class="stat"
                title="no rule says whether higher or lower is better, or the units differ"
              >
                <span>no verdict: other reason</span>
                <b>{r.pairs.length - withVerdict - basesDiffer}</b>
              </div>
              <div class="stat">
                <span>only in a / only in b</span>
                <b>
                  {r.onlyInA.length} / {r.onlyInB.length}
                </b>
              </div>
            </div>
            {r.optionsApplied.length > 0 && (
              <p class="muted">Options: {r.optionsApplied.join('; ')}</p>
            )}
            <div class="legend-inline">
              <span>
                <span class="diff-chip diff-blocking">field</span> differs and blocks a verdict
              </span>
              <span>
                <span class="diff-chip diff-info">field</span> differs, does not block
                (informational or normalised)
              </span>
            </div>
          </Card>
          <Card>
            <Chart
              id="compare-ratio"
              option={ratio}
              height={Math.max(260, 24 * r.pairs.length + 110)}
            />
          </Card>
          <Card title="Every metric, its values and basis differences">
            <table class="table" data-testid="compare-pairs">
              <thead>
                <tr>
                  <th>metric</th>
                  <th class="num">a</th>
                  <th class="num">b</th>
                  <th>verdict</th>
                  <th>basis differences</th>
                </tr>
              </thead>
              <tbody>
                {r.pairs.map((p, i) => (
                  <PairRow key={p.name} p={p} i={i} />
                ))}
              </tbody>
            </table>
            {(r.onlyInA.length > 0 || r.onlyInB.length > 0) && (
              <p class="muted" style={{ marginTop: '8px' }}>
                {r.onlyInA.length > 0 && (
                  <>
                    Only in a:{' '}
                    {r.onlyInA.map((n) => (
                      <Badge key={n}>{n}</Badge>
                    ))}{' '}
                  </>
                )}
                {r.onlyInB.length > 0 && (
                  <>
                    Only in b:{' '}
                    {r.onlyInB.map((n) => (
                      <Badge key={n}>{n}</Badge>
                    ))}
                  </>
                )}
              </p>
            )}
          </Card>
        </div>
      )}
    </div>
  );
}

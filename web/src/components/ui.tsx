/** Small building blocks: cards, errors, badges, metric values with their basis. */
import { Fragment, type ComponentChildren } from 'preact';
import { ApiError } from '../api.js';
import { fmtValue } from '../format.js';
import type { Basis, Metric } from '../types.js';

export function Card(props: {
  title?: ComponentChildren;
  actions?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
  testid?: string;
}) {
  return (
    <section class={`card ${props.class ?? ''}`} data-testid={props.testid}>
      {(props.title || props.actions) && (
        <header class="card-head">
          <h2>{props.title}</h2>
          <div class="card-actions">{props.actions}</div>
        </header>
      )}
      <div class="card-body">{props.children}</div>
    </section>
  );
}

export function PageHeader(props: {
  title: string;
  subtitle?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <div class="page-head">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle && <p class="muted">{props.subtitle}</p>}
      </div>
      <div class="page-actions">{props.actions}</div>
    </div>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  if (error instanceof ApiError)
    return (
      <div class="error" role="alert" data-testid="error">
        <b>{error.code}</b> {error.message}
        {error.issues.length > 0 && (
          <ul>
            {error.issues.map((i, k) => (
              <li key={k}>
                {i.line !== undefined && (
                  <span class="mono">
                    {i.line}:{i.column ?? 1}{' '}
                  </span>
                )}
                {i.path && <span class="mono">{i.path}: </span>}
                {i.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  return (
    <div class="error" role="alert" data-testid="error">
      {error instanceof Error ? error.message : String(error)}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div class="loading">
      <span class="spinner" /> {what}…
    </div>
  );
}

export function Badge(props: {
  kind?: 'ok' | 'warn' | 'bad' | 'info' | 'muted';
  children: ComponentChildren;
  title?: string;
}) {
  return (
    <span class={`badge badge-${props.kind ?? 'muted'}`} title={props.title}>
      {props.children}
    </span>
  );
}

export function Progress({ fraction, label }: { fraction: number; label?: string }) {
  const pct = Math.max(0, Math.min(1, fraction)) * 100;
  return (
    <div
      class="progress"
      role="progressbar"
      aria-valuenow={Math.round(pct)}
      aria-valuemin={0}
      aria-valuemax={100}
      data-testid="progress"
    >
      <div class="progress-bar" style={{ width: `${pct}%` }} />
      <span class="progress-label">{label ?? `${pct.toFixed(0)}%`}</span>
    </div>
  );
}

const sloText = (slo: Basis['slo']): string =>
  slo === 'none'
    ? 'none'
    : Object.entries(slo)
        .map(
          ([k, v]) =>
            `${k.replace(/Seconds$/, '').replace('P99', ' p99')} ≤ ${fmtValue(v as number, 's')}`,
        )
        .join(', ');

/** Every field of a basis, in a fixed order, as label/value pairs. */
export function basisEntries(b: Basis): [string, string][] {
  const out: [string, string][] = [
    ['model', b.model],
    ['precision', b.precision],
    ['workload', b.workload],
    ['SLO', sloText(b.slo)],
    ['utilization', b.utilization],
    ['boundary', b.boundary],
  ];
  if (b.powerKind) out.push(['power', b.powerKind]);
  out.push(['currency', b.currencyYear], ['provenance', b.provenance]);
  if (b.energyPriceUsdPerKwh !== undefined)
    out.push(['energy price', `${b.energyPriceUsdPerKwh} USD/kWh`]);
  out.push(['source', b.source]);
  return out;
}

/** A basis as a small definition list (tooltips, expanded rows). */
export function BasisList({ basis }: { basis: Basis }) {
  return (
    <dl class="basis">
      {basisEntries(basis).map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** A metric's value; hovering shows its full basis. */
export function MetricValue({ m }: { m: Metric }) {
  return (
    <span class="has-tip" data-value={String(m.value)}>
      {fmtValue(m.value, m.unit)}
      <span class="tip" role="tooltip">
        <b>{m.name}</b>
        <BasisList basis={m.basis} />
      </span>
    </span>
  );
}

export function Collapsible(props: {
  summary: ComponentChildren;
  children: ComponentChildren;
  open?: boolean;
}) {
  return (
    <details class="collapsible" open={props.open}>
      <summary>{props.summary}</summary>
      <div class="collapsible-body">{props.children}</div>
    </details>
  );
}

export function KeyValues({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="kv">
      {items.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

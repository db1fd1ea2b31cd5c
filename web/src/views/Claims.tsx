/**
 * Vendor claims (GET /api/claims) with what they leave out; Validate (POST
 * /api/claims/:id/validate) recomputes the claim's arithmetic and reads both sides off the
 * model at equal precision and at the claim's pairing, per interactivity level.
 */
import { useMemo } from 'preact/hooks';
import { api } from '../api.js';
import { claimRatioOption } from '../charts/claims.js';
import { Chart } from '../components/Chart.js';
import { Badge, Card, ErrorBox, KeyValues, Loading, PageHeader } from '../components/ui.js';
import { fmtNum, fmtPercent } from '../format.js';
import { useAction, useAsync } from '../hooks.js';
import { href } from '../router.js';
import type { Claim, ClaimValidation } from '../types.js';

const STATUS_KIND: Record<string, 'ok' | 'warn' | 'bad' | 'info'> = {
  directional: 'warn',
  'reproduced-by-model': 'ok',
  'reproduced-by-measurement': 'ok',
  contradicted: 'bad',
};

function Validation({ v }: { v: ClaimValidation }) {
  const option = useMemo(() => claimRatioOption(v), [v]);
  return (
    <div data-testid="claim-validation">
      <Card
        title="Validation"
        actions={
          <Badge kind={STATUS_KIND[v.status] ?? 'info'} title={v.reason}>
            {v.status}
          </Badge>
        }
      >
        <p>{v.reason}</p>
        <KeyValues
          items={[
            ['claimed', `${fmtNum(v.claimedValue)} ${v.unit}`],
            [
              'model at the claim’s conditions',
              v.modelValue !== undefined ? `${fmtNum(v.modelValue)}×` : '—',
            ],
            [
              'claim arithmetic',
              v.arithmetic
                ? `${v.arithmetic.text} (${fmtPercent(v.arithmetic.deviationFraction)} from the claim)`
                : '—',
            ],
            ['method', v.method],
          ]}
        />
      </Card>
      <Card>
        <Chart id="claim-ratio" option={option} />
      </Card>
      <Card title="Rows">
        <table class="table">
          <thead>
            <tr>
              <th>condition</th>
              <th class="num">subject</th>
              <th class="num">baseline</th>
              <th>unit</th>
              <th class="num">ratio</th>
              <th>note</th>
            </tr>
          </thead>
          <tbody>
            {v.rows.map((r, k) => (
              <tr key={k}>
                <td>{r.condition}</td>
                <td class="num">{fmtNum(r.subjectValue)}</td>
                <td class="num">{fmtNum(r.baselineValue)}</td>
                <td class="muted">{r.unit}</td>
                <td class="num">{r.ratio !== undefined ? `${fmtNum(r.ratio)}×` : '—'}</td>
                <td class="muted">{r.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {v.conditionsMissing.length > 0 && (
          <>
            <h3>Conditions the model could not match</h3>
            <ul>
              {v.conditionsMissing.map((c, k) => (
                <li key={k}>{c}</li>
              ))}
            </ul>
          </>
        )}
        {v.notes.length > 0 && (
          <>
            <h3>Notes</h3>
            <ul>
              {v.notes.map((c, k) => (
                <li key={k}>{c}</li>
              ))}
            </ul>
          </>
        )}
      </Card>
    </div>
  );
}

function ClaimDetail({ claim }: { claim: Claim }) {
  const validate = useAction(() => api.validateClaim(claim.id));
  return (
    <>
      <Card
        title={claim.statement}
        actions={
          <button
            class="primary"
            disabled={validate.loading}
            onClick={() => void validate.run()}
            data-action="validate-claim"
          >
            Validate
          </button>
        }
        testid="claim-detail"
      >
        <KeyValues
          items={[
            ['claimant', `${claim.claimant} (${claim.date})`],
            [
              'claim',
              `${claim.qualifier} ${fmtNum(claim.value)} ${claim.unit} — ${claim.metric} (${claim.kind})`,
            ],
            [
              'subject',
              `${claim.subject.label}${claim.subject.systemId ? ` [${claim.subject.systemId}]` : ''}${claim.subject.precision ? `, ${claim.subject.precision}` : ''}`,
            ],
            ...(claim.baseline
              ? ([
                  [
                    'baseline',
                    `${claim.baseline.label}${claim.baseline.systemId ? ` [${claim.baseline.systemId}]` : ''}${claim.baseline.precision ? `, ${claim.baseline.precision}` : ''}`,
                  ],
                ] as [string, string][])
              : []),
            ['model', claim.model ?? '—'],
            ['source', claim.source],
          ]}
        />
        <div class="grid-2" style={{ marginTop: '10px' }}>
          <div>
            <h3>Stated conditions</h3>
            <ul>
              {claim.statedConditions.map((c, k) => (
                <li key={k}>{c}</li>
              ))}
            </ul>
          </div>
          <div>
            <h3>Left out</h3>
            <ul>
              {claim.missingConditions.map((c, k) => (
                <li key={k}>
                  <b>{c.condition}</b>: {c.note}
                </li>
              ))}
            </ul>
          </div>
        </div>
      </Card>
      {validate.loading && <Loading what="Estimating both sides over every plan" />}
      <ErrorBox error={validate.error} />
      {validate.data && <Validation v={validate.data} />}
    </>
  );
}

export function ClaimsView({ id }: { id?: string | undefined }) {
  const claims = useAsync(() => api.claims(), []);
  const claim = id ? claims.data?.find((c) => c.id === id) : undefined;
  return (
    <div>
      <PageHeader
        title="Claims"
        subtitle="Vendor claims, what they leave out, and what aifactory's model says at stated conditions."
      />
      {claims.loading && <Loading />}
      <ErrorBox error={claims.error} />
      {id && claims.data && !claim && <div class="error">no claim '{id}'</div>}
      {claim && <ClaimDetail key={claim.id} claim={claim} />}
      {claims.data && (
        <Card title={`All claims (${claims.data.length})`}>
          <table class="table" data-testid="claims">
            <thead>
              <tr>
                <th>claim</th>
                <th>claimant</th>
                <th>metric</th>
                <th class="num">value</th>
                <th class="num">left out</th>
                <th>date</th>
              </tr>
            </thead>
            <tbody>
              {claims.data.map((c) => (
                <tr key={c.id} class={c.id === id ? 'selected' : ''} data-claim={c.id}>
                  <td>
                    <a href={href(['claims', c.id])}>{c.statement}</a>
                  </td>
                  <td>{c.claimant}</td>
                  <td class="muted">{c.metric}</td>
                  <td class="num">
                    {c.qualifier === 'up-to' ? 'up to ' : ''}
                    {fmtNum(c.value)} {c.kind === 'ratio' ? '×' : c.unit}
                  </td>
                  <td class="num">{c.missingConditions.length}</td>
                  <td class="muted">{c.date}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}

/**
 * Workload class → the mean request the analytical estimate serves (`RequestShape`), with the
 * arrival description it needs to find the operating concurrency. Pure; every approximation is
 * written into `derivation`, which the report carries.
 *
 * Request classes: ISL and OSL are the means of their distributions (core/distributions.ts);
 * `cachedPrefixFraction` · ISL prompt tokens come from the prefix cache when the engine has
 * prefix caching on.
 *
 * Agent-session classes, until the serving twin exists, are served as independent LLM calls of
 * the mean call shape. Call k (0-based) of a session sees prompt_k = F + k·(A + O) — the first
 * prompt F, plus each earlier call's output O and the tokens A appended after it — of which all
 * but the appended A (all of F for k = 0) is the previous context, a cached prefix when the
 * engine caches prefixes and the router keeps the session on its replica. Averaged over *calls*
 * (long sessions hold more of them), E[k] = (E[C²] − E[C]) / (2·E[C]), so
 *   mean prompt   = E[F] + E[k]·(E[A] + E[O])
 *   mean new      = (E[F] + (E[C] − 1)·E[A]) / E[C]      (new prompt tokens per session / calls)
 *   mean cached   = mean prompt − mean new
 * assuming calls, first prompt, append and output lengths are independent. Session arrivals
 * become call arrivals at E[C] calls per session; between calls a client thinks E[T] seconds.
 */
import {
  describeDistribution,
  distributionMean,
  distributionSecondMoment,
} from '../core/distributions.js';
import type { RequestShape } from '../perf/steady-state.js';
import type { Slo, WorkloadClass } from '../scenario/index.js';

export type ArrivalProcess = 'closed-loop' | 'poisson' | 'gamma';

export interface ClassShape {
  className: string;
  kind: WorkloadClass['kind'];
  /** Mean LLM call: prompt tokens (incl. cached), cached prefix tokens, output tokens. */
  request: Required<RequestShape>;
  arrivals: ArrivalProcess;
  /** Closed loop: clients fleet-wide (each with one request or session in flight). */
  closedLoopClients?: number;
  /** Open arrivals: LLM calls (requests) per second fleet-wide. */
  offeredRequestsPerSecond?: number;
  /** Gamma arrivals: coefficient of variation of inter-arrival times. */
  arrivalCv?: number;
  /** Mean client think time between the calls of a session, seconds (0 for request classes). */
  thinkSeconds: number;
  /** Mean LLM calls per session (agent sessions only). */
  callsPerSession?: number;
  slo: Slo;
  /** How each figure above was obtained, in words (formulas and approximations). */
  derivation: string[];
}

const r1 = (x: number): string => (Math.round(x * 10) / 10).toString();

function arrivalsOf(
  c: WorkloadClass,
  callsPerSession: number,
): Pick<ClassShape, 'arrivals' | 'closedLoopClients' | 'offeredRequestsPerSecond' | 'arrivalCv'> {
  const a = c.arrivals;
  if (a.process === 'closed-loop')
    return { arrivals: 'closed-loop', closedLoopClients: a.concurrency };
  const rate = a.requestsPerSecond ?? (a.sessionsPerSecond ?? 0) * callsPerSession;
  // Diurnal arrivals are estimated at their mean rate as Poisson (the profile shapes tails only).
  return {
    arrivals: a.process === 'diurnal' ? 'poisson' : a.process,
    offeredRequestsPerSecond: rate,
    ...(a.process === 'gamma' ? { arrivalCv: a.cv } : {}),
  };
}

/**
 * The mean request of a workload class.
 * @param prefixCaching whether the engine reuses cached prefixes (else nothing counts as cached).
 */
export function classShape(c: WorkloadClass, prefixCaching: boolean): ClassShape {
  const derivation: string[] = [];
  if (c.kind === 'request') {
    const isl = distributionMean(c.inputTokens);
    const osl = distributionMean(c.outputTokens);
    derivation.push(
      `mean ISL ${r1(isl)} tokens = mean of ${describeDistribution(c.inputTokens)}`,
      `mean OSL ${r1(osl)} tokens = mean of ${describeDistribution(c.outputTokens)}`,
    );
    if (c.inputTokens.dist === 'lognormal' || c.outputTokens.dist === 'lognormal')
      derivation.push(
        'lognormal mean = median·exp(σ²/2), σ = ln(p90/median)/z₀.₉ with z₀.₉ = 1.2816',
      );
    const fraction = c.cachedPrefixFraction ?? 0;
    let cached = 0;
    if (fraction > 0 && prefixCaching) {
      cached = fraction * isl;
      derivation.push(
        `cached prefix ${r1(cached)} tokens = cachedPrefixFraction ${fraction} × mean ISL`,
      );
    } else if (fraction > 0) {
      derivation.push(
        `cachedPrefixFraction ${fraction} ignored: the engine has prefix caching off`,
      );
    }
    return {
      className: c.name,
      kind: c.kind,
      request: { inputTokens: isl, outputTokens: osl, cachedInputTokens: cached },
      ...arrivalsOf(c, 1),
      thinkSeconds: 0,
      slo: c.slo,
      derivation,
    };
  }
  const s = c.session;
  const calls = distributionMean(s.calls);
  const calls2 = distributionSecondMoment(s.calls);
  const first = distributionMean(s.firstPromptTokens);
  const append = distributionMean(s.appendTokens);
  const out = distributionMean(s.outputTokens);
  const think = distributionMean(s.thinkSeconds);
  const meanIndex = (calls2 - calls) / (2 * calls);
  const prompt = first + meanIndex * (append + out);
  const fresh = (first + (calls - 1) * append) / calls;
  const cached = prefixCaching ? Math.max(0, prompt - fresh) : 0;
  derivation.push(
    'APPROXIMATION until the serving twin exists: each agent session is served as independent LLM calls of the mean call shape',
    `mean calls per session E[C] = ${r1(calls)} (${describeDistribution(s.calls)}); call-weighted mean call index E[k] = (E[C²] − E[C])/(2·E[C]) = ${r1(meanIndex)}`,
    `mean prompt per call ${r1(prompt)} tokens = E[first prompt] ${r1(first)} + E[k]·(E[append] ${r1(append)} + E[output] ${r1(out)})`,
    prefixCaching
      ? `cached prefix ${r1(cached)} tokens = mean prompt − mean new tokens per call (E[first] + (E[C] − 1)·E[append])/E[C] = ${r1(fresh)}: the previous context, assuming the session stays on its replica and its prefix stays resident`
      : 'no cached prefix: the engine has prefix caching off, every call recomputes its whole context',
    `mean output per call ${r1(out)} tokens (${describeDistribution(s.outputTokens)}); mean think time ${r1(think)} s between calls`,
    'lognormal mean = median·exp(σ²/2), E[X²] = median²·exp(2σ²), σ = ln(p90/median)/1.2816; lengths assumed independent',
  );
  return {
    className: c.name,
    kind: c.kind,
    request: { inputTokens: prompt, outputTokens: out, cachedInputTokens: cached },
    ...arrivalsOf(c, calls),
    thinkSeconds: think,
    callsPerSession: calls,
    slo: c.slo,
    derivation,
  };
}

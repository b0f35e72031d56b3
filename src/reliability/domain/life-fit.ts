import { logNormalUpperTail, normalDensity, normalQuantile, Z95 } from './special-functions.ts'

/**
 * Maximum likelihood fits of lifetimes with right censoring, for the two log-location-scale
 * families warranty data is read with: Weibull (log life is smallest extreme value) and
 * lognormal (log life is normal).
 *
 * Method: with y = ln t, z = (y − μ)/σ and δ = 1 for a failure, 0 for a unit still working,
 * the log-likelihood is Σ wᵢ [δᵢ(−ln σ − ln tᵢ + g(zᵢ)) + (1 − δᵢ) c(zᵢ)], where g is the log
 * standard density and c the log standard survivor of the family (Lawless, *Statistical
 * Models and Methods for Lifetime Data*, 2nd ed., 2003, §5.1; Meeker & Escobar,
 * *Statistical Methods for Reliability Data*, 1998, §8.2). It is maximised by Newton–Raphson
 * in (μ, ln σ) with analytic first and second derivatives and Levenberg–Marquardt damping,
 * so every step raises the likelihood even from a poor start under heavy censoring. The
 * covariance of (μ̂, σ̂) is the inverse of the observed information; intervals are normal on
 * the log scale of each positive quantity (Meeker & Escobar §8.4, "Fisher matrix" bounds),
 * so they never cross zero.
 *
 * Weights let one row stand for many units of the same age: a million units reduce to a
 * few thousand distinct (age, failed) rows, so a fit costs milliseconds.
 */

export interface LifeObservation {
  /** Age in days; positive. */
  age: number
  /** Units at this age (a weight). */
  count: number
  /** True for failures, false for units still working at this age (right-censored). */
  failed: boolean
}

export type LifeFamily = 'weibull' | 'lognormal'

export interface LocationScaleFit {
  family: LifeFamily
  mu: number
  sigma: number
  /** Covariance of (μ̂, σ̂): [var μ, cov, var σ]. */
  covariance: { muMu: number; muSigma: number; sigmaSigma: number }
  logLikelihood: number
  /** Akaike's criterion, 2k − 2 ln L with k = 2. */
  aic: number
  iterations: number
  failures: number
  units: number
}

interface Family {
  /** Log standard density g(z) and its first two derivatives. */
  g(z: number): [number, number, number]
  /** Log standard survivor c(z) and its first two derivatives. */
  c(z: number): [number, number, number]
  /** Standard distribution function. */
  cdf(z: number): number
  /** Standard quantile. */
  quantile(p: number): number
}

const weibullFamily: Family = {
  g(z) {
    const e = Math.exp(z)
    return [z - e, 1 - e, -e]
  },
  c(z) {
    const e = Math.exp(z)
    return [-e, -e, -e]
  },
  cdf: (z) => -Math.expm1(-Math.exp(z)),
  quantile: (p) => Math.log(-Math.log1p(-p)),
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI)

const normalFamily: Family = {
  g(z) {
    return [-0.5 * z * z - HALF_LOG_2PI, -z, -1]
  },
  c(z) {
    const logQ = logNormalUpperTail(z)
    // The hazard φ/Q, taken through logs so it stays finite far in the tail.
    const h = Math.exp(Math.log(normalDensity(z)) - logQ)
    return [logQ, -h, -h * (h - z)]
  },
  cdf: (z) => -Math.expm1(logNormalUpperTail(z)),
  quantile: normalQuantile,
}

const FAMILIES: Record<LifeFamily, Family> = { weibull: weibullFamily, lognormal: normalFamily }

interface Derivatives {
  value: number
  /** Gradient in (μ, σ). */
  gMu: number
  gSigma: number
  /** Hessian in (μ, σ). */
  hMuMu: number
  hMuSigma: number
  hSigmaSigma: number
}

function evaluate(family: Family, data: readonly LifeObservation[], mu: number, sigma: number): Derivatives {
  let value = 0
  let s1 = 0 // Σ w q'
  let s2 = 0 // Σ w z q'
  let s3 = 0 // Σ w q''
  let s4 = 0 // Σ w z q''
  let s5 = 0 // Σ w z² q''
  let r = 0
  const logSigma = Math.log(sigma)
  for (const obs of data) {
    const y = Math.log(obs.age)
    const z = (y - mu) / sigma
    const w = obs.count
    let q: number
    let q1: number
    let q2: number
    if (obs.failed) {
      ;[q, q1, q2] = family.g(z)
      value += w * (q - logSigma - y)
      r += w
    } else {
      ;[q, q1, q2] = family.c(z)
      value += w * q
    }
    s1 += w * q1
    s2 += w * z * q1
    s3 += w * q2
    s4 += w * z * q2
    s5 += w * z * z * q2
  }
  const s = sigma
  return {
    value,
    gMu: -s1 / s,
    gSigma: -r / s - s2 / s,
    hMuMu: s3 / (s * s),
    hMuSigma: (s1 + s4) / (s * s),
    hSigmaSigma: (r + 2 * s2 + s5) / (s * s),
  }
}

export class LifeFitError extends Error {}

/**
 * Fits one family by maximum likelihood. Needs at least two failures at different ages:
 * with fewer the likelihood has no interior maximum.
 */
export function fitLife(data: readonly LifeObservation[], familyName: LifeFamily): LocationScaleFit {
  const family = FAMILIES[familyName]
  const rows = data.filter((d) => d.count > 0)
  for (const d of rows) {
    if (!(d.age > 0) || !Number.isFinite(d.age)) throw new LifeFitError(`age must be positive, got ${d.age}`)
  }
  const failures = rows.filter((d) => d.failed)
  const r = failures.reduce((sum, d) => sum + d.count, 0)
  const units = rows.reduce((sum, d) => sum + d.count, 0)
  if (new Set(failures.map((d) => d.age)).size < 2) {
    throw new LifeFitError('at least two failures at different ages are needed to fit a life distribution')
  }
  // Start from the exponential fit (total time on test over failures) with σ = 1: it exists
  // whatever the censoring, and the damped steps take it from there.
  const totalTime = rows.reduce((sum, d) => sum + d.count * d.age, 0)
  let mu = Math.log(totalTime / r)
  let tau = 0 // ln σ
  let current = evaluate(family, rows, mu, Math.exp(tau))
  let lambda = 1e-3
  let iterations = 0
  for (; iterations < 500; iterations++) {
    const sigma = Math.exp(tau)
    // Chain rule to (μ, τ = ln σ): σ stays positive and the surface is closer to quadratic.
    const gMu = current.gMu
    const gTau = sigma * current.gSigma
    const hMuMu = current.hMuMu
    const hMuTau = sigma * current.hMuSigma
    const hTauTau = sigma * sigma * current.hSigmaSigma + sigma * current.gSigma
    let accepted = false
    for (let attempt = 0; attempt < 60; attempt++) {
      // Solve (−H + λ·diag) Δ = g.
      const a = -hMuMu + lambda * Math.max(1, Math.abs(hMuMu))
      const b = -hMuTau
      const d = -hTauTau + lambda * Math.max(1, Math.abs(hTauTau))
      const det = a * d - b * b
      if (!(det > 0) || !(a > 0)) {
        lambda *= 10
        continue
      }
      const stepMu = (d * gMu - b * gTau) / det
      const stepTau = (a * gTau - b * gMu) / det
      const nextMu = mu + stepMu
      const nextTau = tau + Math.max(-2, Math.min(2, stepTau))
      const next = evaluate(family, rows, nextMu, Math.exp(nextTau))
      if (Number.isFinite(next.value) && next.value >= current.value - 1e-12 * Math.abs(current.value)) {
        const small = Math.abs(stepMu) < 1e-10 && Math.abs(nextTau - tau) < 1e-10
        mu = nextMu
        tau = nextTau
        current = next
        lambda = Math.max(lambda / 10, 1e-12)
        accepted = true
        if (small) return finish()
        break
      }
      lambda *= 10
    }
    if (!accepted) break
  }
  return finish()

  function finish(): LocationScaleFit {
    const sigma = Math.exp(tau)
    const info = evaluate(family, rows, mu, sigma)
    // Observed information I = −H; covariance = I⁻¹.
    const a = -info.hMuMu
    const b = -info.hMuSigma
    const d = -info.hSigmaSigma
    const det = a * d - b * b
    if (!(det > 0) || !(a > 0)) throw new LifeFitError('the fit did not reach a maximum of the likelihood')
    return {
      family: familyName,
      mu,
      sigma,
      covariance: { muMu: d / det, muSigma: -b / det, sigmaSigma: a / det },
      logLikelihood: info.value,
      aic: 4 - 2 * info.value,
      iterations,
      failures: r,
      units,
    }
  }
}

export interface Interval {
  estimate: number
  lower: number
  upper: number
}

/** exp(m ± z·se), the interval of a positive quantity whose log is m with standard error se. */
function logInterval(logEstimate: number, se: number, z = Z95): Interval {
  return {
    estimate: Math.exp(logEstimate),
    lower: Math.exp(logEstimate - z * se),
    upper: Math.exp(logEstimate + z * se),
  }
}

/** Distribution function F(t) of a fit. */
export function fittedCdf(fit: Pick<LocationScaleFit, 'family' | 'mu' | 'sigma'>, age: number): number {
  if (age <= 0) return 0
  return FAMILIES[fit.family].cdf((Math.log(age) - fit.mu) / fit.sigma)
}

/** Cumulative hazard H(t) = −ln(1 − F(t)) of a fit. */
export function fittedCumulativeHazard(
  fit: Pick<LocationScaleFit, 'family' | 'mu' | 'sigma'>,
  age: number,
): number {
  if (age <= 0) return 0
  const z = (Math.log(age) - fit.mu) / fit.sigma
  return fit.family === 'weibull' ? Math.exp(z) : -logNormalUpperTail(z)
}

/** The age by which a fraction p has failed, with its delta-method interval on the log scale. */
export function fittedQuantile(fit: LocationScaleFit, p: number): Interval {
  const w = FAMILIES[fit.family].quantile(p)
  const { muMu, muSigma, sigmaSigma } = fit.covariance
  const variance = muMu + w * w * sigmaSigma + 2 * w * muSigma
  return logInterval(fit.mu + w * fit.sigma, Math.sqrt(Math.max(variance, 0)))
}

/**
 * The fraction failed by an age, with its interval: the standardised z is normal by the
 * delta method and F is monotone in z (Meeker & Escobar §8.4.3).
 */
export function fittedFractionFailing(fit: LocationScaleFit, age: number): Interval {
  const family = FAMILIES[fit.family]
  const z = (Math.log(age) - fit.mu) / fit.sigma
  const { muMu, muSigma, sigmaSigma } = fit.covariance
  const dMu = -1 / fit.sigma
  const dSigma = -z / fit.sigma
  const se = Math.sqrt(
    Math.max(dMu * dMu * muMu + 2 * dMu * dSigma * muSigma + dSigma * dSigma * sigmaSigma, 0),
  )
  return { estimate: family.cdf(z), lower: family.cdf(z - Z95 * se), upper: family.cdf(z + Z95 * se) }
}

export interface WeibullSummary {
  /** β = 1/σ. */
  shape: Interval
  /** η = e^μ, in days. */
  scale: Interval
}

/** Shape and scale of a Weibull fit with 95 % intervals (log-scale normal). */
export function weibullParameters(fit: LocationScaleFit): WeibullSummary {
  const seLogSigma = Math.sqrt(fit.covariance.sigmaSigma) / fit.sigma
  const sigma = logInterval(Math.log(fit.sigma), seLogSigma)
  return {
    shape: { estimate: 1 / fit.sigma, lower: 1 / sigma.upper, upper: 1 / sigma.lower },
    scale: logInterval(fit.mu, Math.sqrt(fit.covariance.muMu)),
  }
}

export interface LognormalSummary {
  /** μ of ln t (t in days) and the median life e^μ. */
  mu: Interval
  median: Interval
  /** σ of ln t. */
  sigma: Interval
}

export function lognormalParameters(fit: LocationScaleFit): LognormalSummary {
  const seMu = Math.sqrt(fit.covariance.muMu)
  return {
    mu: { estimate: fit.mu, lower: fit.mu - Z95 * seMu, upper: fit.mu + Z95 * seMu },
    median: logInterval(fit.mu, seMu),
    sigma: logInterval(Math.log(fit.sigma), Math.sqrt(fit.covariance.sigmaSigma) / fit.sigma),
  }
}

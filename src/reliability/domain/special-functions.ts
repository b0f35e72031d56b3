/**
 * The few special functions the life-data fits need, in plain arithmetic so the domain
 * stays free of dependencies.
 */

/** The 97.5 % point of the standard normal: two-sided 95 % intervals. */
export const Z95 = 1.959963984540054

/**
 * ln erfc(x) for x ≥ 0, from the Chebyshev fit of Numerical Recipes (Press et al., 3rd ed.,
 * §6.2, `erfcc`), fractional error below 1.2e-7 everywhere. Kept in log form so the upper
 * normal tail stays accurate far out, where a lognormal fit meets long-lived units.
 */
function logErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x)
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  return Math.log(t) - x * x + poly
}

/** ln(1 − Φ(z)): the log of the standard normal upper tail. */
export function logNormalUpperTail(z: number): number {
  const x = z / Math.SQRT2
  if (x >= 0) return logErfc(x) - Math.LN2
  return Math.log1p(-0.5 * Math.exp(logErfc(-x)))
}

/** Φ(z), the standard normal distribution function. */
export function normalCdf(z: number): number {
  return z >= 0 ? -Math.expm1(logNormalUpperTail(z)) : Math.exp(logNormalUpperTail(-z))
}

/** φ(z), the standard normal density. */
export function normalDensity(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)
}

/**
 * Φ⁻¹(p) by Acklam's rational approximation (relative error below 1.15e-9), for the
 * lognormal probability plot and quantiles.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p <= 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const low = 0.02425
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    )
  }
  if (p > 1 - low) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  )
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9), for Poisson probabilities. */
export function logGamma(x: number): number {
  const g = 7
  const coef = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ]
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const y = x - 1
  let sum = coef[0]!
  for (let i = 1; i < g + 2; i++) sum += coef[i]! / (y + i)
  const t = y + g + 0.5
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum)
}

/**
 * P(X ≥ k) for X ~ Poisson(mean): one minus the lower sum, each term built from the last
 * in log space so large means do not overflow.
 */
export function poissonUpperTail(k: number, mean: number): number {
  if (k <= 0) return 1
  if (mean <= 0) return 0
  // No count is above an infinite expectation (and its log terms would be NaN).
  if (mean === Number.POSITIVE_INFINITY) return 1
  // Sum the shorter side: below the mean sum the lower terms, above it the upper ones.
  if (k > mean) {
    let logTerm = k * Math.log(mean) - mean - logGamma(k + 1)
    let sum = 0
    for (let i = k; i < k + 10_000; i++) {
      const term = Math.exp(logTerm)
      sum += term
      // Past the mean the terms only fall: once one is negligible, or has underflowed to
      // zero with the sum still zero, the rest add nothing (the loop ran 10,000 times then).
      if (term <= sum * 1e-16) break
      logTerm += Math.log(mean) - Math.log(i + 1)
    }
    return Math.min(1, sum)
  }
  let logTerm = -mean
  let lower = 0
  for (let i = 0; i < k; i++) {
    lower += Math.exp(logTerm)
    logTerm += Math.log(mean) - Math.log(i + 1)
  }
  return Math.max(0, 1 - lower)
}

/** A small seeded generator (mulberry32) so simulations and forecast intervals repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A standard normal draw from two uniforms (Box–Muller). */
export function normalDraw(random: () => number): number {
  const u = Math.max(random(), 1e-300)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

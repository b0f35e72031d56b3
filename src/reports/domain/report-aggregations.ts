import { addDays, daysBetween } from '../../shared/day-numbers.ts'
import type {
  ClaimRatesReport,
  ClaimsPerMonthReport,
  DecisionMixReport,
  FailureModesReport,
  GroupBy,
  OpenCasesReport,
  WarrantyCostReport,
} from '../report.schemas.ts'

/** A count under one group key, as a `group by` answers it; `label` is the display name when it differs from the key. */
export interface KeyedCount {
  key: string
  label?: string | null
  count: number
}

/** The entry under `key`, created first when missing. */
export function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key)
  if (value === undefined) {
    value = create()
    map.set(key, value)
  }
  return value
}

/** Rounds to two decimals so rates compare cleanly in tests and charts. */
const round2 = (value: number): number => Math.round(value * 100) / 100

const ratePer100 = (claims: number, units: number): number | null =>
  units > 0 ? round2((claims * 100) / units) : null

/**
 * Claims per 100 units sold, one bar per group, worst first. Groups with units sold but no
 * claims still appear (a rate of 0 is a result); groups with claims but no recorded sales
 * get a null rate rather than an infinite one.
 */
export function rateClaimsPerHundredUnits(
  groupBy: GroupBy,
  claims: readonly KeyedCount[],
  unitsSold: readonly KeyedCount[],
): ClaimRatesReport {
  const groups = new Map<string, { label: string; claims: number; units: number }>()
  const groupOf = (row: KeyedCount) => {
    let group = groups.get(row.key)
    if (!group) {
      group = { label: row.label ?? row.key, claims: 0, units: 0 }
      groups.set(row.key, group)
    } else if (row.label && group.label === row.key) {
      group.label = row.label
    }
    return group
  }
  for (const row of claims) groupOf(row).claims += row.count
  for (const row of unitsSold) groupOf(row).units += row.count
  const rows = [...groups.entries()]
    .map(([key, g]) => ({ key, ...g, rate: ratePer100(g.claims, g.units) }))
    .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.claims - a.claims || a.key.localeCompare(b.key))
  const totalClaims = rows.reduce((sum, r) => sum + r.claims, 0)
  const totalUnits = rows.reduce((sum, r) => sum + r.units, 0)
  return {
    groupBy,
    keys: rows.map((r) => r.key),
    labels: rows.map((r) => r.label),
    series: [
      { name: 'ratePer100', data: rows.map((r) => r.rate) },
      { name: 'claims', data: rows.map((r) => r.claims) },
      { name: 'unitsSold', data: rows.map((r) => r.units) },
    ],
    totals: { claims: totalClaims, unitsSold: totalUnits, ratePer100: ratePer100(totalClaims, totalUnits) },
  }
}

/** What one claim tells about how units fail: its problem kind and its inspection findings. */
export interface FailureFacts {
  group: string
  groupLabel?: string | null
  problemKind: string | null
  findings: readonly string[]
}

/**
 * Failure modes per group as a stacked chart: one bar per group (most claims first), one
 * stack per mode (most frequent first). A mode is a problem kind the customer reported
 * (`problem:malfunction`) or a finding of the inspection (`finding:liquid-damage`), kept
 * apart because one is a claim and the other a cause.
 */
export function countFailureModes(groupBy: GroupBy, claims: Iterable<FailureFacts>): FailureModesReport {
  const groups = new Map<string, { label: string; claims: number; modes: Map<string, number> }>()
  const modeTotals = new Map<string, number>()
  const bump = (modes: Map<string, number>, mode: string) => {
    modes.set(mode, (modes.get(mode) ?? 0) + 1)
    modeTotals.set(mode, (modeTotals.get(mode) ?? 0) + 1)
  }
  for (const claim of claims) {
    let group = groups.get(claim.group)
    if (!group) {
      group = { label: claim.groupLabel ?? claim.group, claims: 0, modes: new Map() }
      groups.set(claim.group, group)
    }
    group.claims += 1
    if (claim.problemKind) bump(group.modes, `problem:${claim.problemKind}`)
    for (const finding of new Set(claim.findings)) bump(group.modes, `finding:${finding}`)
  }
  const ordered = [...groups.entries()].sort((a, b) => b[1].claims - a[1].claims || a[0].localeCompare(b[0]))
  const modes = [...modeTotals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  return {
    groupBy,
    keys: ordered.map(([key]) => key),
    labels: ordered.map(([, g]) => g.label),
    series: modes.map(([mode]) => ({ name: mode, data: ordered.map(([, g]) => g.modes.get(mode) ?? 0) })),
    modes: modes.map(([mode, total]) => {
      const [source, name] = splitMode(mode)
      return { mode: name, source, total }
    }),
  }
}

function splitMode(mode: string): ['problem' | 'finding', string] {
  return mode.startsWith('problem:') ? ['problem', mode.slice(8)] : ['finding', mode.slice(8)]
}

/** `YYYY-MM` months from `first` through `last`, both inclusive. */
export function listMonths(first: string, last: string): string[] {
  const months: string[] = []
  let [year, month] = first.split('-').map(Number) as [number, number]
  const [endYear, endMonth] = last.split('-').map(Number) as [number, number]
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`)
    month += 1
    if (month > 12) {
      month = 1
      year += 1
    }
  }
  return months
}

/**
 * Claims opened per month with empty months filled in, so a line chart shows a gap as zero
 * rather than joining the months either side. The range is the filter's when given, else
 * the months that have claims.
 */
export function fillClaimsPerMonth(
  counts: readonly { month: string; count: number }[],
  range: { from?: string | undefined; to?: string | undefined } = {},
): ClaimsPerMonthReport {
  const byMonth = new Map<string, number>()
  for (const row of counts) byMonth.set(row.month, (byMonth.get(row.month) ?? 0) + row.count)
  const present = [...byMonth.keys()].sort()
  const first = range.from?.slice(0, 7) ?? present[0]
  const last = range.to?.slice(0, 7) ?? present.at(-1)
  const labels = first && last ? listMonths(first, last) : []
  const data = labels.map((m) => byMonth.get(m) ?? 0)
  return { labels, series: [{ name: 'claims', data }], total: data.reduce((sum, n) => sum + n, 0) }
}

/**
 * Open cases by state, in the lifecycle's own order so the chart reads as a pipeline;
 * states the caller did not list (added later) follow in name order, empty states are kept
 * so the axis does not jump between refreshes.
 */
export function shapeOpenCases(
  counts: readonly { state: string; count: number }[],
  openStates: readonly string[],
): Omit<OpenCasesReport, 'byAge' | 'asOf'> {
  const byState = new Map<string, number>()
  for (const row of counts) byState.set(row.state, (byState.get(row.state) ?? 0) + row.count)
  const extra = [...byState.keys()].filter((s) => !openStates.includes(s)).sort()
  const labels = [...openStates, ...extra]
  const data = labels.map((s) => byState.get(s) ?? 0)
  return { labels, series: [{ name: 'open', data }], total: data.reduce((sum, n) => sum + n, 0) }
}

/** Age bands of open cases, in days since the claim was opened: a service manager's triage. */
export const OPEN_CASE_AGE_BANDS = [
  { key: 'days-0-2', maxDays: 2 },
  { key: 'days-3-7', maxDays: 7 },
  { key: 'days-8-30', maxDays: 30 },
  { key: 'days-31-plus', maxDays: Number.POSITIVE_INFINITY },
] as const

/**
 * The open cases of `shapeOpenCases` split by age: one series per age band, aligned with the
 * same state labels, so a stacked bar shows where old cases sit. Ages count whole days from
 * the day opened to `today`, or to the row's own today where its days are another zone's.
 */
export function openCasesByAge(
  counts: readonly { state: string; openedOn: string; today?: string; count: number }[],
  labels: readonly string[],
  today: string,
): { name: string; data: number[] }[] {
  const bands = OPEN_CASE_AGE_BANDS.map((band) => ({ ...band, byState: new Map<string, number>() }))
  for (const row of counts) {
    const age = Math.max(0, daysBetween(row.openedOn, row.today ?? today))
    const band = bands.find((b) => age <= b.maxDays) ?? bands[bands.length - 1]
    band?.byState.set(row.state, (band.byState.get(row.state) ?? 0) + row.count)
  }
  return bands.map((band) => ({ name: band.key, data: labels.map((state) => band.byState.get(state) ?? 0) }))
}

/** A summed cost: one currency, one payer, one cost kind, in minor units. */
export interface CostSum {
  currency: string
  payer: string | null
  kind: string
  amount: number
}

/** Payer shown for lines the decision left without one, so the money is not lost from the chart. */
export const UNASSIGNED_PAYER = 'unassigned'

/** The payer whose lines are no cost of warranty: what customers pay is their own. */
export const CUSTOMER_PAYER = 'customer'

/**
 * Cost of warranty: per currency (never added across currencies), cost kinds on the axis
 * and one series per payer, so a stacked bar shows who absorbed what.
 */
export function sumWarrantyCost(
  sums: readonly CostSum[],
  kindOrder: readonly string[] = [],
): WarrantyCostReport {
  const byCurrency = new Map<string, Map<string, Map<string, number>>>()
  for (const row of sums) {
    const payer = row.payer ?? UNASSIGNED_PAYER
    const payers = getOrCreate(byCurrency, row.currency, () => new Map<string, Map<string, number>>())
    const kinds = getOrCreate(payers, payer, () => new Map<string, number>())
    kinds.set(row.kind, (kinds.get(row.kind) ?? 0) + row.amount)
  }
  const currencies = [...byCurrency.entries()].sort((a, b) => a[0].localeCompare(b[0]))
  return {
    currencies: currencies.map(([currency, payers]) => {
      const seen = new Set<string>()
      for (const kinds of payers.values()) for (const kind of kinds.keys()) seen.add(kind)
      const labels = [
        ...kindOrder.filter((k) => seen.has(k)),
        ...[...seen].filter((k) => !kindOrder.includes(k)).sort(),
      ]
      const byPayer = [...payers.entries()]
        .map(([payer, kinds]) => ({ payer, amount: [...kinds.values()].reduce((s, n) => s + n, 0) }))
        .sort((a, b) => b.amount - a.amount || a.payer.localeCompare(b.payer))
      const total = byPayer.reduce((sum, p) => sum + p.amount, 0)
      const customerPaid = byPayer.find((p) => p.payer === CUSTOMER_PAYER)?.amount ?? 0
      return {
        currency,
        labels,
        series: byPayer.map(({ payer }) => ({
          name: payer,
          data: labels.map((kind) => payers.get(payer)?.get(kind) ?? 0),
        })),
        total,
        byPayer,
        borneMinor: total - customerPaid,
        customerPaidMinor: customerPaid,
      }
    }),
  }
}

/** The facts of one decision the mix is made of. */
export interface DecisionFacts {
  covered: boolean
  basis: string
  exclusionCodes: readonly string[]
}

/**
 * The mix of decisions: covered against not, bases, and the most frequent exclusion codes
 * (each counted once per decision, since a claim refused twice over is one refusal).
 */
export function tallyDecisionMix(
  decisions: Iterable<DecisionFacts>,
  options: { topExclusions?: number; basisOrder?: readonly string[] } = {},
): DecisionMixReport {
  let total = 0
  let covered = 0
  const bases = new Map<string, number>()
  const exclusions = new Map<string, number>()
  for (const decision of decisions) {
    total += 1
    if (decision.covered) covered += 1
    bases.set(decision.basis, (bases.get(decision.basis) ?? 0) + 1)
    for (const code of new Set(decision.exclusionCodes)) exclusions.set(code, (exclusions.get(code) ?? 0) + 1)
  }
  const basisOrder = options.basisOrder ?? []
  const basisLabels = [
    ...basisOrder.filter((b) => bases.has(b)),
    ...[...bases.keys()].filter((b) => !basisOrder.includes(b)).sort(),
  ]
  const top = [...exclusions.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, options.topExclusions ?? 10)
  return {
    decisions: total,
    coverage: {
      labels: ['covered', 'not-covered'],
      series: [{ name: 'decisions', data: [covered, total - covered] }],
    },
    basis: {
      labels: basisLabels,
      series: [{ name: 'decisions', data: basisLabels.map((b) => bases.get(b) ?? 0) }],
    },
    exclusions: {
      labels: top.map(([code]) => code),
      series: [{ name: 'decisions', data: top.map(([, n]) => n) }],
    },
  }
}

/** The day after `YYYY-MM-DD`, so an inclusive last day becomes an exclusive bound on ISO timestamps. */
export function dayAfter(date: string): string {
  return addDays(date, 1)
}

/** A cost forecast of the reliability report: everything, and its split between the trade and customers. */
export interface ForecastMoney {
  currency: string
  estimate: number
  borne: { estimate: number }
  customerPaid: { estimate: number }
}

type Say = (
  key: 'reliability.costBorne' | 'reliability.costCustomerPaid',
  values: { amount: string },
) => string

/**
 * A forecast cost as the report page says it (` · $1,200.00 borne by the maker, seller and
 * dealers, and $300.00 paid by customers`). The cost a maker or seller reads is the one it
 * bears; what customers would pay (paid repairs, their own freight) is no cost of warranty and
 * is said apart, never added in. Every cost on the page is said so: the next months', the
 * reserve's and a draft term's alike.
 */
export function forecastCostWords(
  say: Say,
  money: (minor: number, currency: string) => string,
  c: ForecastMoney,
) {
  const borne = say('reliability.costBorne', { amount: money(c.borne.estimate, c.currency) })
  const customer =
    c.customerPaid.estimate > 0
      ? say('reliability.costCustomerPaid', { amount: money(c.customerPaid.estimate, c.currency) })
      : ''
  return ` · ${borne}${customer}`
}

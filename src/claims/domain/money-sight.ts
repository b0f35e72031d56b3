import type { Handler } from '../../contracts/decision.ts'
import { PAYMENT_PROOF_SUBMITTED, PAYMENT_RECORDED, REFUND_ISSUED } from './claim-events.ts'

/**
 * How much of a claim's money a reader sees. `whole`: the claim's customer (who pays), staff
 * and integrations (the seller, who is paid) and a dealer while the decision has it handle
 * the claim (it quotes and records the payments). `own-share`: a dealer that only sold a unit
 * the decision sends to the seller or the maker. It sees that the claim exists, its state,
 * its decisions and that quotes were sent and paid, and of the amounts only the cost lines it
 * pays itself; never what the customer is charged or paid, how, by which reference, nor a
 * refund.
 */
export type MoneySight = 'whole' | 'own-share'

/** The sight of a party that sees the claim, given who handles it by its latest decision. */
export function moneySightOf(role: string, handler: Handler | null): MoneySight {
  return role === 'dealer' && handler !== 'dealer' ? 'own-share' : 'whole'
}

/**
 * Events that are the customer's payment as a whole (its amount, day, reference, note, proof,
 * or the refund): of these a reader with `own-share` keeps only the quote they answer.
 */
const PAYMENT_EVENT_KEEPS: Readonly<Record<string, readonly string[]>> = {
  [PAYMENT_RECORDED]: ['quoteId'],
  [PAYMENT_PROOF_SUBMITTED]: ['quoteId'],
  [REFUND_ISSUED]: [],
}

// Every amount of the service travels in minor units and is named so (`amountMinor`,
// `customerTotalMinor`, `absorbedMinor`, `unitPriceMinor`), in events and views alike.
const isAmount = (key: string): boolean => key.endsWith('Minor')

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** A cost line (it names its payer) another party pays. */
const isOthersCostLine = (value: unknown): boolean =>
  isRecord(value) && 'payer' in value && value.payer !== 'dealer'

/**
 * What a reader with `own-share` sees of a value: every amount dropped, at any depth, but in
 * the cost lines the dealer pays, which it sees whole; the cost lines others pay left out.
 */
function ownShare(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => !isOthersCostLine(item)).map(ownShareOfItem)
  if (!isRecord(value)) return value
  // Built from entries, so a member named `__proto__` (JSON may hold one) stays a member.
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !isAmount(key))
      .map(([key, member]) => [key, ownShare(member)]),
  )
}

// A cost line left in an array is the dealer's own: whole. Anything else is looked into.
const ownShareOfItem = (item: unknown): unknown =>
  isRecord(item) && item.payer === 'dealer' ? item : ownShare(item)

type AmountKey<T> = { [K in keyof T]: K extends `${string}Minor` ? K : never }[keyof T]
/** A value with its amounts (its members named `…Minor`) left out where the reader may not see them. */
export type InSight<T> = Omit<T, AmountKey<T>> & Partial<Pick<T, AmountKey<T>>>

/** A view of a claim's money (a quote, its status) as the reader sees it. */
export function moneyInSight<T extends object>(sight: MoneySight, value: T): InSight<T> {
  return sight === 'whole' ? value : (ownShare(value) as InSight<T>)
}

/** An event's data as the reader sees it in the claim's history. */
export function eventDataInSight(
  sight: MoneySight,
  type: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  if (sight === 'whole') return data
  const keeps = PAYMENT_EVENT_KEEPS[type]
  if (keeps)
    return Object.fromEntries(
      keeps.filter((key) => Object.hasOwn(data, key)).map((key) => [key, ownShare(data[key])]),
    )
  return ownShare(data) as Record<string, unknown>
}

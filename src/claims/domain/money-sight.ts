import type { Handler } from '../../contracts/decision.ts'
import {
  DEALER_SALE_CONFIRMED,
  DEALER_SALE_MOVED,
  DECISION_MADE,
  DECISION_PROVISIONAL,
  PAYMENT_PROOF_SUBMITTED,
  PAYMENT_RECORDED,
  QUOTE_SENT,
  REFUND_ISSUED,
} from './claim-events.ts'

/**
 * How much of a claim's money a reader sees. `whole`: staff and integrations (the seller, who
 * is paid) and a dealer while the decision has it handle the claim (it quotes and records the
 * payments). `customer`: the claim's customer, who sees every amount they pay or paid and the
 * lines others pay without their amounts, so they learn what is covered and not how the
 * businesses split it (no total of the service, nothing of what each party absorbs).
 * `own-share`: a dealer that only sold a unit the decision sends to the seller or the maker.
 * It sees that the claim exists, its state, its decisions and that quotes were sent and paid,
 * and of the amounts only the cost lines it pays itself; never what the customer is charged
 * or paid, how, by which reference, nor a refund.
 */
export type MoneySight = 'whole' | 'customer' | 'own-share'

/** The sight of a party that sees the claim, given who handles it by its latest decision. */
export function moneySightOf(role: string, handler: Handler | null): MoneySight {
  if (role === 'customer') return 'customer'
  return role === 'dealer' && handler !== 'dealer' ? 'own-share' : 'whole'
}

/**
 * Whether the reader may have the customer's payment as a whole (its reference, proof, the
 * quote's document): the customer, who pays, and those who see every amount, who are paid.
 */
export const seesCustomerPayment = (sight: MoneySight): boolean => sight !== 'own-share'

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

/**
 * The amounts that are the customer's own wherever they stand outside a cost line: what they
 * are charged (`customerMinor`, `customerTotalMinor`), what they paid or are refunded
 * (`paidMinor`, `amountMinor`) and what they still owe. Any other amount (a quote's whole
 * `totalMinor`, what each business `absorbedMinor`, one added later) is another party's.
 */
const CUSTOMERS_AMOUNTS: ReadonlySet<string> = new Set([
  'customerMinor',
  'customerTotalMinor',
  'paidMinor',
  'amountMinor',
  'outstandingMinor',
])

const isCostLine = (value: unknown): value is Record<string, unknown> => isRecord(value) && 'payer' in value

/**
 * What the customer sees of a value: the cost lines they pay whole, the lines others pay
 * without any amount (that it is covered, and by whom as the decision's payers say, not for
 * how much), and no amount that is not theirs, at any depth.
 */
function customerShare(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(customerShare)
  if (!isRecord(value)) return value
  if (isCostLine(value) && value.payer === 'customer') return value
  const isOthersLine = isCostLine(value)
  // Built from entries, so a member named `__proto__` (JSON may hold one) stays a member.
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !isAmount(key) || (!isOthersLine && CUSTOMERS_AMOUNTS.has(key)))
      .map(([key, member]) => [key, customerShare(member)]),
  )
}

/** A cost line as the customer reads it: whole when they pay it, else without its amounts. */
export type CustomerLine<L extends { payer: string }> = Omit<L, AmountKey<L>> & Partial<Pick<L, AmountKey<L>>>

/** The lines of a quote as its customer reads them, in every document (page, PDF, e-mail). */
export function customerLines<L extends { payer: string }>(lines: readonly L[]): CustomerLine<L>[] {
  return lines.map((line) => customerShare(line) as CustomerLine<L>)
}

/** A view of a claim's money (a quote, its status) as the reader sees it. */
export function moneyInSight<T extends object>(sight: MoneySight, value: T): InSight<T> {
  if (sight === 'whole') return value
  return (sight === 'customer' ? customerShare(value) : ownShare(value)) as InSight<T>
}

/** An event's data as the reader sees it in the claim's history. */
export function eventDataInSight(
  sight: MoneySight,
  type: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  if (sight === 'whole') return data
  // Their payments and refunds are the customer's own: only the quote's and repair's split is not.
  if (sight === 'customer') return customerShare(data) as Record<string, unknown>
  const keeps = PAYMENT_EVENT_KEEPS[type]
  if (keeps)
    return Object.fromEntries(
      keeps.filter((key) => Object.hasOwn(data, key)).map((key) => [key, ownShare(data[key])]),
    )
  return ownShare(data) as Record<string, unknown>
}

/**
 * What a dealer handled, read from the claim's history: a dealer that handled a claim and was
 * then replaced as its handler (a later decision sends it to the seller or the maker) keeps
 * sight of what it did and is owed for, and of nothing after. Only the claim's present dealer
 * reads the claim, so only what happened while the claim was that dealer's counts: a claim that
 * followed its sale to another dealer and came back gives the dealer its earlier turns again,
 * and never the turns of the dealer between. `quotes`: the quotes sent while the decision then
 * in force had the dealer handle the claim (with everything on them: their answer, payments,
 * proofs, whenever they came). `events`: the events that happened then. `proofs`: the files
 * the customer sent as proof of paying those quotes.
 */
export interface DealerHandled {
  quotes: ReadonlySet<string>
  events: ReadonlySet<number>
  proofs: ReadonlySet<string>
}

type HistoryEvent = { seq: number; type: string; data: Record<string, unknown> }

/** An event that gives the claim to another dealer (or to none: the seller's own sale). */
const changesDealer = (
  event: HistoryEvent,
): event is HistoryEvent & { data: { dealerOrgId?: string | null; previousDealerOrgId?: string | null } } =>
  event.type === DEALER_SALE_MOVED || event.type === DEALER_SALE_CONFIRMED

/**
 * The claim's dealer before a change: a move names it; a confirmation gives the claim to a
 * dealer when it had none (the sale waited for the dealer's word).
 */
const dealerBefore = (event: HistoryEvent & { data: { previousDealerOrgId?: string | null } }) =>
  event.type === DEALER_SALE_MOVED ? (event.data.previousDealerOrgId ?? null) : null

/** `DealerHandled` from the claim's events in their order (`seq`), their data parsed. */
export function dealerHandledOf(events: readonly HistoryEvent[]): DealerHandled {
  const quotes = new Set<string>()
  const handled = new Set<number>()
  const proofs = new Set<string>()
  let provisional: Handler | null = null
  let final: Handler | null = null
  const settled = events.filter(changesDealer)
  // The present dealer is the one the last change named; with no change, the claim was always its.
  const present = settled.at(-1)?.data.dealerOrgId ?? null
  let dealer = settled[0] === undefined ? present : dealerBefore(settled[0])
  for (const event of events) {
    if (changesDealer(event)) dealer = event.data.dealerOrgId ?? null
    const decided = (event.data.decision as { handler?: Handler } | undefined)?.handler ?? null
    if (event.type === DECISION_PROVISIONAL) provisional = decided
    if (event.type === DECISION_MADE) final = decided
    // A proof answers a quote sent before it: the dealer's when it sent that quote, whenever the proof came.
    const { quoteId, fileIds } = event.data
    if (event.type === PAYMENT_PROOF_SUBMITTED && quotes.has(quoteId as string) && Array.isArray(fileIds))
      for (const fileId of fileIds) if (typeof fileId === 'string') proofs.add(fileId)
    // The event is the dealer's when the decision it was taken under named it (the decision
    // that hands the claim on is the new handler's, as every event after it) and the claim was
    // its then: what another dealer handled before or between is not, though the decision
    // named "the dealer" then too.
    if ((final ?? provisional) !== 'dealer' || dealer !== present) continue
    handled.add(event.seq)
    if (event.type === QUOTE_SENT && typeof event.data.quoteId === 'string') quotes.add(event.data.quoteId)
  }
  return { quotes, events: handled, proofs }
}

/**
 * The sight a reader with `sight` over the claim has of one event. `handled` is given for a
 * dealer reader, whatever its sight, and null for any other. An event of a quote (its sending,
 * answer, proof or payment) is the dealer's whole only when the dealer sent that quote while it
 * handled the claim: a quote the seller or another dealer sent is the customer's and theirs,
 * also to the dealer handling the claim now, which reads it as one that only sold the unit.
 * Any other event a handling dealer reads whole, and a dealer handed off what it handled.
 */
export function eventSightOf(
  sight: MoneySight,
  handled: DealerHandled | null,
  event: { seq: number; data: Record<string, unknown> },
): MoneySight {
  if (handled === null || sight === 'customer') return sight
  const quoteId = event.data.quoteId
  if (typeof quoteId === 'string') return quoteSightOf(sight, handled, quoteId)
  return sight === 'own-share' && handled.events.has(event.seq) ? 'whole' : sight
}

/**
 * The sight a reader with `sight` over the claim has of one quote; `handled` as for
 * `eventSightOf`. A dealer sees whole the quotes it sent while it handled the claim, and any
 * other as a dealer that only sold the unit, whether or not it handles the claim now.
 */
export function quoteSightOf(sight: MoneySight, handled: DealerHandled | null, quoteId: string): MoneySight {
  if (handled === null || sight === 'customer') return sight
  return handled.quotes.has(quoteId) ? 'whole' : 'own-share'
}

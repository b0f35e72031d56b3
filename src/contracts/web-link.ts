import { z } from 'zod'

/**
 * An absolute http(s) address with no white space in it: what an e-mail or a page can put
 * behind a link. The outbox checks the links of an e-mail's data with it when the message is
 * queued, and the request fields that become such links (a payment link, a tracking page)
 * with it when they are typed, so a link taken by one is never refused by the other.
 */
export const WEB_LINK = /^https?:\/\/[^\s]+$/i

/** A web address typed in a form or a request body; surrounding spaces are dropped. */
export const webLink = z
  .string()
  .trim()
  .max(2000)
  .url({ protocol: /^https?$/, error: 'validation.web-link' })
  .regex(WEB_LINK, 'validation.web-link')

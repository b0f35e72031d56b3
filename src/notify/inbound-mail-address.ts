import crypto from 'node:crypto'

export interface ReplyAddressSettings {
  replyDomain?: string | undefined
  replySecret?: string | undefined
}

// 96 bits of HMAC: far beyond guessing through a mail relay, short enough for a local part.
const SIGNATURE_HEX = 24

const signatureOf = (claimId: string, secret: string): string =>
  crypto
    .createHmac('sha256', secret)
    .update(`reply:${claimId.toLowerCase()}`)
    .digest('hex')
    .slice(0, SIGNATURE_HEX)

/** `reply+<claim id>.<signature>@<domain>`, or undefined when replies by e-mail are not set up. */
export function replyAddressFor(claimId: string, settings: ReplyAddressSettings): string | undefined {
  if (!settings.replyDomain || !settings.replySecret) return undefined
  return `reply+${claimId.toLowerCase()}.${signatureOf(claimId, settings.replySecret)}@${settings.replyDomain.toLowerCase()}`
}

/**
 * The claim a reply address names, when the address is ours and its signature is right;
 * otherwise null. Mail systems may change the case of an address, so the match ignores it.
 */
export function claimIdFromReplyAddress(address: string, settings: ReplyAddressSettings): string | null {
  if (!settings.replyDomain || !settings.replySecret) return null
  const match = /^reply\+([a-z0-9-]{1,100})\.([0-9a-f]+)@(.+)$/.exec(address.trim().toLowerCase())
  if (!match) return null
  const [, claimId = '', signature = '', domain = ''] = match
  if (domain !== settings.replyDomain.toLowerCase()) return null
  const expected = Buffer.from(signatureOf(claimId, settings.replySecret))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null
  return claimId
}

/**
 * A claim's number as customers read it in e-mails and on forms (`C-0CA9E54A`): the first
 * eight hex digits of its id, upper-cased. Pure, so the server and the web app read a typed
 * number the same way. The number is not stored: it is found again by the id it starts.
 */
const NUMBER_DIGITS = 8

export function claimNumberOf(claimId: string): string {
  return `C-${claimId.slice(0, NUMBER_DIGITS).toUpperCase()}`
}

/**
 * The start of the id a typed claim number names (lower-case hex), or undefined when the text
 * is not a claim number. People type it as they read it: in lower case, with spaces around
 * it from a copy, or in full-width characters from a Chinese input method.
 */
export function claimIdPrefixOf(text: string): string | undefined {
  const match = /^C-([0-9A-F]{8})$/i.exec(text.normalize('NFKC').trim())
  return match?.[1]?.toLowerCase()
}

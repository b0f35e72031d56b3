/**
 * Whether a text shows this amount (in minor units) as a number of its own. Answers also
 * carry hashes and ids in hex, and the digits of an amount inside one (…a1919f…) are no
 * amount: a plain `includes` fails a test now and then by chance.
 */
export function mentionsAmount(text: string, amountMinor: number): boolean {
  return new RegExp(`(?<![0-9A-Za-z])${amountMinor}(?![0-9A-Za-z])`).test(text)
}

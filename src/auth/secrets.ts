import crypto from 'node:crypto'
import { promisify } from 'node:util'

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>

/** scrypt cost: N=2^15, r=8, p=1 needs 32 MiB per hash, which is what makes it memory-hard. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32

/** A random secret for cookies, links and API keys: 32 bytes, URL-safe. */
export function generateToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url')
}

/** Tokens are long and random, so a fast hash is enough to keep stored copies useless to a thief. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url')
}

export function equalSecrets(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && crypto.timingSafeEqual(left, right)
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16)
  const hash = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, {
    ...SCRYPT,
    maxmem: 128 * SCRYPT.N * SCRYPT.r * 2,
  })
  return [
    'scrypt',
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$')
}

// Verifying against this when the user is unknown keeps the answer time the same, so
// timing does not reveal which addresses have accounts.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? DUMMY_HASH).split('$')
  const [kind, n, r, p, salt, hash] = parts
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 128 * Number(n) * Number(r) * 2,
  })
  return stored !== null && crypto.timingSafeEqual(actual, expected)
}

/** A password people can type from a printout: 4 groups of 4 letters and digits without look-alikes. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789'
  const groups: string[] = []
  for (let g = 0; g < 4; g++) {
    let group = ''
    for (let i = 0; i < 4; i++) group += alphabet[crypto.randomInt(alphabet.length)]
    groups.push(group)
  }
  return groups.join('-')
}

import resolver from 'node:dns'
import dns from 'node:dns/promises'
import net, { type LookupFunction } from 'node:net'
import { AppError } from '../shared/errors.ts'
import type { MessageKey, MessageParams } from '../shared/messages/translate.ts'

const isInternalIPv4 = (address: string): boolean => {
  const [a = 0, b = 0] = address.split('.').map(Number)
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  )
}

/** The sixteen bytes of a valid IPv6 address, in any of its spellings (`::`, a dotted IPv4 tail). */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase()
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.slice(1).map(Number)
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const groups = (part: string | undefined) =>
    part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []
  const front = groups(head)
  const back = groups(tail)
  const words = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back]
  return words.flatMap((w) => [w >> 8, w & 0xff])
}

const zero = (bytes: number[]) => bytes.every((b) => b === 0)
const ipv4Of = (bytes: number[]) => bytes.join('.')

/**
 * The IPv4 address an IPv6 address carries to an IPv4 host: mapped (`::ffff:a.b.c.d`, which
 * the URL parser writes as `::ffff:7f00:1`), compatible (`::a.b.c.d`), SIIT (`::ffff:0:…`),
 * NAT64 (`64:ff9b::/96`) and 6to4 (`2002:AABB:CCDD::/48`).
 */
function embeddedIPv4(bytes: number[]): string | undefined {
  const last = ipv4Of(bytes.slice(12))
  if (zero(bytes.slice(0, 10)) && bytes[10] === 0xff && bytes[11] === 0xff) return last
  if (zero(bytes.slice(0, 12))) return last
  if (zero(bytes.slice(0, 8)) && bytes[8] === 0xff && bytes[9] === 0xff && zero(bytes.slice(10, 12)))
    return last
  if (
    bytes[0] === 0 &&
    bytes[1] === 0x64 &&
    bytes[2] === 0xff &&
    bytes[3] === 0x9b &&
    zero(bytes.slice(4, 12))
  )
    return last
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return ipv4Of(bytes.slice(2, 6))
  return undefined
}

/**
 * Webhooks are requests the server makes on someone's say-so: aimed at loopback, private,
 * link-local (cloud metadata) or other internal addresses they would reach into the
 * operator's own network (SSRF). Such targets are refused unless the operator allows
 * them (`AFTERCARE_WEBHOOKS_ALLOW_PRIVATE=1`). An IPv6 address that carries an IPv4 one is
 * judged by the IPv4 address it reaches.
 */
export function isInternalAddress(address: string): boolean {
  if (net.isIPv4(address)) return isInternalIPv4(address)
  if (!net.isIPv6(address)) return false
  const bytes = ipv6Bytes(address)
  const v4 = embeddedIPv4(bytes)
  if (v4 !== undefined) return isInternalIPv4(v4)
  const [first = 0, second = 0] = bytes
  return (
    (first & 0xfe) === 0xfc || // unique local fc00::/7
    (first === 0xfe && (second & 0x80) === 0x80) || // link-local fe80::/10, old site-local fec0::/10
    first === 0xff // multicast
  )
}

/**
 * Refuses a webhook URL whose host is, or resolves to, an internal address. A host that
 * does not resolve now is let through: it is checked again before every delivery.
 */
export async function checkWebhookTarget(url: string, options: { allowPrivate: boolean }): Promise<void> {
  const refuse = (key: MessageKey, params: MessageParams = {}) =>
    new AppError('validation', { key, params: { field: 'url', ...params } }, { field: 'url' })
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw refuse('notify.webhook.not-url')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw refuse('notify.webhook.scheme', { http: 'http://', https: 'https://' })
  if (options.allowPrivate) return
  const host = parsed.hostname.replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host.endsWith('.localhost')) throw refuse('notify.webhook.loopback')
  const addresses = net.isIP(host) ? [host] : await resolveAll(host)
  if (addresses.some(isInternalAddress)) {
    throw refuse('notify.webhook.internal')
  }
}

async function resolveAll(host: string): Promise<string[]> {
  const timeout = new Promise<string[]>((resolve) => setTimeout(() => resolve([]), 2000).unref())
  const lookup = dns
    .lookup(host, { all: true })
    .then((found) => found.map((entry) => entry.address))
    .catch(() => [])
  return Promise.race([lookup, timeout])
}

let deliveryPolicy: { allowPrivate: boolean } | null = null

/**
 * The policy deliveries follow, set by the server at start from its configuration. Until
 * it is set (library use, tests with a local receiver) deliveries are not checked; the
 * subscription route always checks.
 */
export function setWebhookDeliveryPolicy(policy: { allowPrivate: boolean } | null): void {
  deliveryPolicy = policy
}

export async function checkDeliveryTarget(url: string): Promise<void> {
  if (deliveryPolicy) await checkWebhookTarget(url, deliveryPolicy)
}

/**
 * The name lookup a delivery connects with: under the policy that refuses internal targets,
 * an answer naming an internal address fails the connection. A name can resolve to a public
 * address when it is checked and to loopback a moment later (DNS rebinding); the address
 * judged is the one connected to. Undefined when deliveries are not checked.
 */
export function deliveryLookup(): LookupFunction | undefined {
  if (!deliveryPolicy || deliveryPolicy.allowPrivate) return undefined
  return (hostname, options, callback) => {
    resolver.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0)
      const internal = addresses.find((a) => isInternalAddress(a.address))
      if (internal)
        return callback(
          Object.assign(new Error(`${hostname} resolves to the internal address ${internal.address}`), {
            code: 'EWEBHOOKINTERNAL',
          }),
          '',
          0,
        )
      if (options.all) return callback(null, addresses)
      const [first] = addresses
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0)
      callback(null, first.address, first.family)
    })
  }
}

import dns from 'node:dns/promises'
import net from 'node:net'
import { AppError } from '../shared/errors.ts'
import type { MessageKey, MessageParams } from '../shared/messages/translate.ts'

/**
 * Webhooks are requests the server makes on someone's say-so: aimed at loopback, private,
 * link-local (cloud metadata) or other internal addresses they would reach into the
 * operator's own network (SSRF). Such targets are refused unless the operator allows
 * them (`AFTERCARE_WEBHOOKS_ALLOW_PRIVATE=1`).
 */
export function isInternalAddress(address: string): boolean {
  const v4 = net.isIPv4(address) ? address : /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  if (v4) {
    const [a = 0, b = 0] = v4.split('.').map(Number)
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
  const v6 = address.toLowerCase()
  return (
    v6 === '::' ||
    v6 === '::1' ||
    v6.startsWith('fc') ||
    v6.startsWith('fd') ||
    v6.startsWith('fe80') ||
    v6.startsWith('ff')
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

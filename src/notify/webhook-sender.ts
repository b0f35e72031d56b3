import crypto from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import { buildSignedPayload, formatSignatureHeader } from './domain/webhook-signature.ts'
import { checkDeliveryTarget, deliveryLookup } from './webhook-target.ts'

export const WEBHOOK_TIMEOUT_MS = 10_000

export interface WebhookToSend {
  deliveryId: string
  url: string
  eventType: string
  body: string
  secret: string
  now: Date
}

/** The signature header for a body: HMAC-SHA256 of "<unix seconds>.<body>" in hex. */
export function signWebhookBody(secret: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000)
  const digest = crypto.createHmac('sha256', secret).update(buildSignedPayload(t, body)).digest('hex')
  return formatSignatureHeader(t, digest)
}

/** POSTs one delivery; throws on a network error, a timeout or a non-2xx answer (the outbox retries). */
export async function sendWebhook(delivery: WebhookToSend, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<void> {
  // Checked again at delivery: a name can be pointed at an internal address after subscribing.
  await checkDeliveryTarget(delivery.url)
  const status = await post(delivery, timeoutMs)
  if (status < 200 || status >= 300) {
    throw new Error(`The webhook endpoint answered HTTP ${status}`)
  }
}

/**
 * One POST, its status. Redirects are not followed: one could carry the signed body to a host
 * nobody subscribed. The connection looks the name up through the delivery policy, so the
 * address it connects to is the address judged.
 */
function post(delivery: WebhookToSend, timeoutMs: number): Promise<number> {
  const url = new URL(delivery.url)
  const lookup = deliveryLookup()
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        signal: AbortSignal.timeout(timeoutMs),
        ...(lookup ? { lookup } : {}),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(delivery.body),
          'user-agent': 'Aftercare-Webhooks/1',
          'aftercare-event': delivery.eventType,
          'aftercare-delivery': delivery.deliveryId,
          'aftercare-signature': signWebhookBody(delivery.secret, delivery.body, delivery.now),
        },
      },
      (response) => {
        // Drain the body so the connection is released.
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
        response.on('error', reject)
      },
    )
    request.on('error', reject)
    request.end(delivery.body)
  })
}

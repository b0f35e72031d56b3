import type { HttpApp } from '../http/types.ts'
import { multipartBody } from '../shared/multipart-body.test-support.ts'
import { sampleJpeg } from './sample-files.test-support.ts'

/**
 * Uploads a small JPEG to the caller's holding area as a proof of purchase
 * (`POST /api/v1/files`) and answers its id: what a customer's registration of a unit sends.
 */
export async function uploadProofOfPurchase(
  app: Pick<HttpApp, 'inject'>,
  headers: Record<string, string>,
): Promise<string> {
  const jpeg = sampleJpeg({ size: 206 })
  const body = multipartBody([
    { name: 'kind', value: 'proof-of-purchase' },
    { name: 'files', filename: 'receipt.jpg', type: 'image/jpeg', data: jpeg },
  ])
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
  })
  if (response.statusCode !== 201) throw new Error(`upload refused: ${response.body}`)
  return (response.json() as { items: Array<{ id: string }> }).items[0]?.id as string
}

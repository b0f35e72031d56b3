import crypto from 'node:crypto'

/** A field of a multipart form: a value, or a file (`filename`, its declared `type`, its `data`). */
export interface FormPart {
  name: string
  value?: string
  filename?: string
  /** The file's declared type; application/octet-stream unless given. */
  type?: string
  data?: Buffer | string
}

/**
 * A multipart/form-data body of the parts in order, as a browser sends a form, for tests that
 * upload over HTTP: the payload and the content type to send it with.
 */
export function multipartBody(parts: FormPart[]): { payload: Buffer; contentType: string } {
  const boundary = `----aftercare${crypto.randomBytes(8).toString('hex')}`
  const chunks: Buffer[] = []
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`
    if (part.filename !== undefined)
      head += `; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'application/octet-stream'}`
    const data = part.data ?? part.value ?? ''
    chunks.push(
      Buffer.from(`${head}\r\n\r\n`),
      Buffer.isBuffer(data) ? data : Buffer.from(data),
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

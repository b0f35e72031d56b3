import { PassThrough, type Readable } from 'node:stream'
import type { Multipart } from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../shared/errors.ts'
import type { MessageKey } from '../shared/messages/translate.ts'

const CHECK_MS = 250

/** A file part's stream as the multipart parser gives it: `truncated` once it hit the size limit. */
export type PartStream = Readable & { truncated?: boolean }

/**
 * An uploaded file's stream that fails instead of hanging. The multipart parser can leave
 * a part's stream open for good, or destroy it without an error, when the form ends in
 * the middle of that part or the connection is cut for stalling: a handler piping it to
 * disk would wait forever and leave a partial file behind. The returned stream carries
 * the same bytes and ends with the part; when the request is over (ended or cut off) and
 * the part neither ends nor delivers, it is destroyed with a 400, so the handler's own
 * clean-up runs.
 */
export function guardUploadStream(request: FastifyRequest, source: PartStream): PartStream {
  const out = new PassThrough() as PassThrough & { truncated?: boolean }
  Object.defineProperty(out, 'truncated', { get: () => source.truncated === true })
  let timer: NodeJS.Timeout | undefined
  let idleChecks = 0
  const stop = () => {
    if (timer) clearInterval(timer)
    timer = undefined
  }
  const fail = (key: MessageKey) => {
    stop()
    // With no consumer listening (it already gave up on the part), an error would be thrown
    // from the timer and take the process down: then the stream is only closed.
    if (!out.destroyed)
      out.destroy(
        out.listenerCount('error') > 0
          ? new AppError('validation', { key, params: { field: 'body' } }, { field: 'body' })
          : undefined,
      )
    if (!source.destroyed) source.destroy()
  }
  source.on('data', (chunk: Buffer) => {
    idleChecks = 0
    if (!out.write(chunk)) source.pause()
  })
  out.on('drain', () => source.resume())
  source.once('end', () => {
    stop()
    out.end()
  })
  source.once('error', (error) => {
    stop()
    out.destroy(error)
  })
  source.once('close', () => {
    if (!source.readableEnded) fail('http.multipart-cut-in-file')
  })
  // When the consumer gives up (a refused type, a size limit), the rest of the part is discarded.
  out.once('close', () => {
    stop()
    if (!source.readableEnded) source.resume()
  })
  const raw = request.raw
  // `complete` is unset on injected requests; `readableEnded` covers them.
  const ended = () => raw.complete || raw.readableEnded
  const watch = () => {
    if (timer || out.destroyed || source.readableEnded) return
    timer = setInterval(() => {
      if (out.destroyed || source.readableEnded) return stop()
      idleChecks = out.writableNeedDrain ? 0 : idleChecks + 1
      if (idleChecks >= 2) fail('http.multipart-cut-in-file')
    }, CHECK_MS)
  }
  if (ended()) watch()
  else {
    raw.once('end', watch)
    raw.once('close', () => {
      if (!ended()) fail('http.upload-cut-off')
      else watch()
    })
  }
  return out
}

/** `request.parts()` with every file stream guarded (see `guardUploadStream`). */
export async function* guardedParts(request: FastifyRequest): AsyncGenerator<Multipart> {
  for await (const part of request.parts()) {
    if (part.type === 'file') (part as { file: PartStream }).file = guardUploadStream(request, part.file)
    yield part
  }
}

import type { ErrorAnswer } from './types.ts'

/**
 * The one way the app talks to the API: same-origin fetch with the session cookie, the CSRF
 * header on every state-changing request, and the server's `{ error: { code, message, field } }`
 * turned into an ApiError the pages can show.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly field: string | undefined
  /** The key of the server's message in its catalogue (`registry.transfer.owner-changed`), when it sent one. */
  readonly messageKey: string | undefined
  /** What the server adds to explain a refusal, e.g. the open claim a duplicate points at. */
  readonly details: Record<string, unknown> | undefined

  constructor(
    status: number,
    code: string,
    message: string,
    field?: string,
    details?: Record<string, unknown>,
    messageKey?: string,
  ) {
    super(message)
    this.status = status
    this.code = code
    this.field = field
    this.details = details
    this.messageKey = messageKey
  }
}

const CSRF_HEADER = 'x-csrf-token'
let readerLanguage = 'en'

/** The i18n module tells the client the reader's language on every switch. */
export function setReaderLanguage(language: string): void {
  readerLanguage = language
}
let csrfToken: string | null = null

/** The auth feature hands out the CSRF token with the session; it is kept in memory only. */
export function rememberCsrfToken(token: string | null | undefined): void {
  if (token) csrfToken = token
}

export function forgetCsrfToken(): void {
  csrfToken = null
}

export function readCsrfToken(): string | null {
  return csrfToken
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  signal?: AbortSignal
  /** Extra headers, e.g. `if-match` with the claim version a change is based on. */
  headers?: Record<string, string>
  query?: Record<string, string | number | boolean | undefined | null>
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `${path}?${text}` : path
}

export function buildHeaders(method: Method, hasJsonBody: boolean): Headers {
  // The server words its messages in the language the reader chose here, not the browser's.
  const headers = new Headers({ accept: 'application/json', 'accept-language': readerLanguage })
  if (hasJsonBody) headers.set('content-type', 'application/json')
  if (method !== 'GET' && csrfToken) headers.set(CSRF_HEADER, csrfToken)
  return headers
}

function mergeHeaders(headers: Headers, extra: Record<string, string> | undefined): Headers {
  for (const [key, value] of Object.entries(extra ?? {})) headers.set(key, value)
  return headers
}

export async function readError(response: Response): Promise<ApiError> {
  let code = 'http-error'
  let message = response.statusText || `HTTP ${response.status}`
  let field: string | undefined
  let details: Record<string, unknown> | undefined
  let messageKey: string | undefined
  try {
    const body = (await response.json()) as ErrorAnswer
    if (body.error) {
      code = body.error.code ?? code
      message = body.error.message ?? message
      field = body.error.field
      details = body.error.details
      messageKey = body.error.messageKey
    }
  } catch {
    // Not JSON (a proxy error page): keep the status text.
  }
  return new ApiError(response.status, code, message, field, details, messageKey)
}

async function sendRequest<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}) {
  const hasBody = body !== undefined
  const response = await fetch(buildUrl(path, options.query), {
    method,
    credentials: 'same-origin',
    headers: mergeHeaders(buildHeaders(method, hasBody), options.headers),
    body: hasBody ? JSON.stringify(body) : null,
    signal: options.signal ?? null,
  })
  const headerToken = response.headers.get(CSRF_HEADER)
  if (headerToken) rememberCsrfToken(headerToken)
  if (!response.ok) throw await readError(response)
  if (response.status === 204) return undefined as T
  const type = response.headers.get('content-type') ?? ''
  if (!type.includes('json')) return undefined as T
  return (await response.json()) as T
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => sendRequest<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    sendRequest<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    sendRequest<T>('PUT', path, body ?? {}, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    sendRequest<T>('PATCH', path, body ?? {}, options),
  delete: <T>(path: string, options?: RequestOptions) => sendRequest<T>('DELETE', path, undefined, options),
}

export interface UploadProgress {
  loaded: number
  total: number
}

/**
 * Uploads one file as multipart form data with XMLHttpRequest, because fetch still cannot
 * report upload progress in every browser we support.
 */
export function uploadFile<T>(
  path: string,
  file: File,
  fields: Record<string, string>,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    xhr.withCredentials = true
    xhr.setRequestHeader('accept', 'application/json')
    xhr.setRequestHeader('accept-language', readerLanguage)
    if (csrfToken) xhr.setRequestHeader(CSRF_HEADER, csrfToken)
    xhr.upload.onprogress = (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size })
    }
    xhr.onload = () => {
      const text = xhr.responseText
      let body: unknown
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        body = undefined
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress({ loaded: file.size, total: file.size })
        resolve(body as T)
        return
      }
      const error = (body as ErrorAnswer | undefined)?.error
      reject(
        new ApiError(xhr.status, error?.code ?? 'http-error', error?.message ?? xhr.statusText, error?.field),
      )
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload was interrupted'))
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled'))
    signal?.addEventListener('abort', () => xhr.abort())
    const form = new FormData()
    for (const [key, value] of Object.entries(fields)) form.append(key, value)
    form.append('file', file, file.name)
    xhr.send(form)
  })
}

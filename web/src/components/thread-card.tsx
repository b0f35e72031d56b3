import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, uploadFile } from '../api/client.ts'
import { REGISTRY } from '../api/endpoints.ts'
import type { Page, ThreadMessage } from '../api/types.ts'
import { formatDateTime } from '../i18n/i18n.ts'
import { FilePicker } from './file-picker.tsx'
import { ErrorNote } from './status.tsx'
import { useApi } from './use-api.ts'

const threadPath = (claimId: string) => `/api/v1/claims/${encodeURIComponent(claimId)}/messages`

/**
 * What the files of a message show. An answer's files back the evidence of their kind on
 * the case (a photo of the serial label asked for), so the sender says which it is.
 */
const THREAD_FILE_KINDS = [
  'defect-media',
  'serial-photo',
  'package-photos',
  'shipping-slip',
  'delivery-receipt',
  'carrier-report',
  'other',
] as const
type ThreadFileKind = (typeof THREAD_FILE_KINDS)[number]

/**
 * The conversation of a case: messages with their files, questions from service and their
 * answers; staff also see and write internal notes. While the claim awaits information the
 * box is the answer to the open question.
 */
export function ThreadCard({
  claimId,
  version,
  staff = false,
  awaitingInfo = false,
  onPosted,
}: {
  claimId: string
  /** Reloads the thread whenever the claim changes (a question asked through the action form). */
  version: number
  staff?: boolean
  awaitingInfo?: boolean
  onPosted?: () => void
}) {
  const { t } = useTranslation()
  const thread = useApi<Page<ThreadMessage>>(threadPath(claimId), { v: version })
  const [body, setBody] = useState('')
  const [internal, setInternal] = useState(false)
  const [files, setFiles] = useState<File[]>([])
  const [fileKind, setFileKind] = useState<ThreadFileKind>('defect-media')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [sent, setSent] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const sentNote = useRef<HTMLParagraphElement>(null)
  // An answer moves the conversation down the page once the claim no longer awaits it; the
  // reader is taken along to the word that it went.
  useEffect(() => {
    if (sent && !awaitingInfo) sentNote.current?.scrollIntoView({ block: 'nearest' })
  }, [sent, awaitingInfo])
  const items = thread.data?.items ?? []
  const openQuestion = awaitingInfo ? items.filter((m) => m.kind === 'info-request').at(-1) : undefined
  const answering = Boolean(openQuestion) && !staff
  // The customer reads the open question once, over the box they answer it in, not again in the list.
  const listed = answering ? items.filter((m) => m !== openQuestion) : items

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    setSent(false)
    try {
      // Each file is checked and held first, apart from the claim; the message joins them to it.
      // A file refused, or a message refused, then leaves nothing on the claim, and sending
      // again does not put the files that went through the first time on it twice.
      const fileIds: string[] = []
      for (const file of files) {
        const held = await uploadFile<{ items: { id: string }[] }>(
          REGISTRY.files,
          file,
          { kind: fileKind },
          () => undefined,
        )
        fileIds.push(...held.items.map((f) => f.id))
      }
      await api.post(threadPath(claimId), { body, internal: staff && internal, fileIds })
      setBody('')
      setFiles([])
      setFileKind('defect-media')
      setInternal(false)
      if (fileInput.current) fileInput.current.value = ''
      setSent(true)
      thread.reload()
      onPosted?.()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  // As the history beside it writes the same moment.
  const when = (iso: string) => formatDateTime(iso)

  return (
    <section className="card thread" aria-labelledby={`thread-${claimId}`} data-testid="thread">
      <h2 id={`thread-${claimId}`}>{t('thread.title')}</h2>
      {/* An open question is a message too, though it is shown over the answer box, not listed. */}
      {items.length === 0 && !thread.loading && <p className="muted">{t('thread.empty')}</p>}
      <ol className="thread-list">
        {listed.map((m) => (
          <li
            key={m.id}
            className={`thread-item thread-${m.kind}${m.internal ? ' thread-internal' : ''}`}
            data-testid="thread-item"
            data-kind={m.kind}
          >
            <p className="thread-meta">
              <strong>{m.author.name}</strong>{' '}
              <span className="muted">
                {t(`thread.role.${m.author.role}`, { defaultValue: m.author.role })} · {when(m.postedAt)}
              </span>{' '}
              {m.kind === 'info-request' && <span className="badge">{t('thread.infoRequest')}</span>}
              {m.kind === 'info-reply' && <span className="badge badge-ok">{t('thread.infoReply')}</span>}
              {m.internal && <span className="badge badge-internal">{t('thread.internal')}</span>}
              {m.via === 'email' && <span className="badge">{t('thread.byEmail')}</span>}
            </p>
            {m.body && (
              <p className="thread-body" translate="no">
                {m.body}
              </p>
            )}
            <MessageFiles files={m.files} />
          </li>
        ))}
      </ol>
      <ErrorNote error={thread.error} />
      <form className="stack" onSubmit={(event) => void submit(event)} data-testid="thread-form">
        {answering && openQuestion && (
          <div className="note note-warn" role="status" data-testid="open-question">
            <strong>{t('thread.questionForYou')}</strong>
            <p translate="no">{openQuestion.body}</p>
            <MessageFiles files={openQuestion.files} />
            <p className="muted">
              {openQuestion.author.name} · {when(openQuestion.postedAt)}
            </p>
          </div>
        )}
        <label htmlFor={`thread-body-${claimId}`}>
          {answering ? t('thread.yourAnswer') : t('thread.write')}
        </label>
        <textarea
          id={`thread-body-${claimId}`}
          rows={3}
          maxLength={8000}
          value={body}
          onChange={(event) => setBody(event.target.value)}
        />
        {!internal && (
          <>
            <label htmlFor={`thread-files-${claimId}`}>{t('thread.attach')}</label>
            <FilePicker
              id={`thread-files-${claimId}`}
              inputRef={fileInput}
              multiple
              accept="image/jpeg,image/png,image/webp,image/heic,video/mp4,video/quicktime,video/webm,application/pdf"
              chosen={files}
              onFiles={setFiles}
            />
            {files.length > 0 && (
              <>
                <label htmlFor={`thread-file-kind-${claimId}`}>{t('thread.fileKind')}</label>
                <select
                  id={`thread-file-kind-${claimId}`}
                  value={fileKind}
                  onChange={(event) => setFileKind(event.target.value as ThreadFileKind)}
                >
                  {THREAD_FILE_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`evidence.${kind}`)}
                    </option>
                  ))}
                </select>
              </>
            )}
          </>
        )}
        {staff && (
          <label className="choice">
            <input
              type="checkbox"
              checked={internal}
              onChange={(event) => setInternal(event.target.checked)}
            />
            {t('thread.internalNote')}
          </label>
        )}
        <p className="actions">
          <button type="submit" disabled={busy || (body.trim() === '' && files.length === 0)}>
            {answering ? t('thread.sendAnswer') : internal ? t('thread.saveNote') : t('thread.send')}
          </button>
        </p>
        {sent && (
          <p className="note note-ok" role="status" ref={sentNote} data-testid="thread-sent">
            {t('thread.sent')}
          </p>
        )}
        <ErrorNote error={error} />
      </form>
    </section>
  )
}

function MessageFiles({ files }: { files: ThreadMessage['files'] }) {
  if (files.length === 0) return null
  return (
    <ul className="thread-files">
      {files.map((f) => (
        <li key={f.id}>
          <a href={f.url} target="_blank" rel="noreferrer">
            {f.name}
          </a>
        </li>
      ))}
    </ul>
  )
}

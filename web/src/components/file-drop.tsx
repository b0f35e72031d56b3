import { type DragEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { sizeText } from './file-size.ts'

export const EVIDENCE_FOR_UPLOAD = [
  'defect-media',
  'package-photos',
  'serial-photo',
  'shipping-slip',
  'delivery-receipt',
  // No policy's evidence, but what a claim on a unit registered to nobody must carry.
  'proof-of-purchase',
] as const
export type UploadEvidence = (typeof EVIDENCE_FOR_UPLOAD)[number]

export interface PendingFile {
  key: string
  file: File
  kind: UploadEvidence
  /** 0–100 while uploading, null before. */
  progress: number | null
  error: string | null
}

const ACCEPT =
  'image/jpeg,image/png,image/webp,image/heic,video/mp4,video/quicktime,video/webm,application/pdf'
const MAX_BYTES = 200 * 1024 * 1024

function guessKind(file: File): UploadEvidence {
  return file.type.startsWith('video/') || file.type.startsWith('image/') ? 'defect-media' : 'shipping-slip'
}

/** Photos and videos by drag and drop or the file picker; each file says what it shows. */
export function FileDrop({
  files,
  onChange,
}: {
  files: PendingFile[]
  onChange(files: PendingFile[]): void
}) {
  const { t } = useTranslation()
  const inputId = useId()
  const [over, setOver] = useState(false)
  const [rejected, setRejected] = useState<string[]>([])

  function addFiles(list: FileList | null) {
    if (!list) return
    const tooBig: string[] = []
    const added: PendingFile[] = []
    for (const file of Array.from(list)) {
      if (file.size > MAX_BYTES) {
        tooBig.push(file.name)
        continue
      }
      added.push({
        key: `${file.name}-${file.size}-${file.lastModified}`,
        file,
        kind: guessKind(file),
        progress: null,
        error: null,
      })
    }
    setRejected(tooBig)
    const known = new Set(files.map((f) => f.key))
    onChange([...files, ...added.filter((f) => !known.has(f.key))])
  }

  function handleDrop(event: DragEvent) {
    event.preventDefault()
    setOver(false)
    addFiles(event.dataTransfer.files)
  }

  return (
    <div className="stack">
      <label
        htmlFor={inputId}
        className={`drop ${over ? 'drop-over' : ''}`}
        onDragOver={(event) => {
          event.preventDefault()
          setOver(true)
        }}
        onDragLeave={() => setOver(false)}
        onDrop={handleDrop}
        data-testid="file-drop"
      >
        <span className="drop-icon" aria-hidden="true">
          ⇪
        </span>
        <span>{t('upload.drop')}</span>
        <span className="muted">{t('upload.limits')}</span>
      </label>
      <input
        id={inputId}
        className="visually-hidden-input"
        type="file"
        multiple
        accept={ACCEPT}
        data-testid="file-drop-input"
        onChange={(event) => {
          addFiles(event.target.files)
          event.target.value = ''
        }}
      />
      {rejected.length > 0 && (
        <p className="note note-error" role="alert">
          {t('upload.tooBig', { names: rejected.join(', ') })}
        </p>
      )}
      {files.length > 0 && (
        <ul className="file-list" aria-label={t('upload.selected')}>
          {files.map((pending) => (
            <FileRow
              key={pending.key}
              pending={pending}
              onKind={(kind) =>
                // A file sent as one kind is sent again as the other: what it shows is stored with it.
                onChange(files.map((f) => (f.key === pending.key ? { ...f, kind, progress: null } : f)))
              }
              onRemove={() => onChange(files.filter((f) => f.key !== pending.key))}
            />
          ))}
        </ul>
      )}
    </div>
  )
}

function FileRow({
  pending,
  onKind,
  onRemove,
}: {
  pending: PendingFile
  onKind(kind: UploadEvidence): void
  onRemove(): void
}) {
  const { t } = useTranslation()
  const selectId = useId()
  // Only while it is on its way: a file sent for a claim the server then refused (no proof of
  // purchase, say) can still be marked as another kind or taken off.
  const busy = pending.progress !== null && pending.progress < 100
  return (
    <li className="file-row">
      <span className="file-name">{pending.file.name}</span>
      <span className="muted">{sizeText(pending.file.size)}</span>
      <label htmlFor={selectId} className="visually-hidden">
        {t('upload.kind')}
      </label>
      <select
        id={selectId}
        value={pending.kind}
        disabled={busy}
        onChange={(event) => onKind(event.target.value as UploadEvidence)}
      >
        {EVIDENCE_FOR_UPLOAD.map((kind) => (
          <option key={kind} value={kind}>
            {t(`evidence.${kind}`)}
          </option>
        ))}
      </select>
      {busy ? (
        <progress
          max={100}
          value={pending.progress ?? 0}
          aria-label={t('upload.progressOf', { name: pending.file.name })}
        >
          {pending.progress}%
        </progress>
      ) : (
        <button type="button" className="button-quiet" onClick={onRemove}>
          {t('upload.remove')}
        </button>
      )}
      {pending.progress === 100 && <span className="badge badge-ok">{t('upload.done')}</span>}
      {pending.error && <span className="error-text">{pending.error}</span>}
    </li>
  )
}

import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CLAIMS } from '../api/endpoints.ts'
import type { ClaimFile } from '../api/types.ts'

function readUrl(claimId: string, file: ClaimFile): string {
  return file.url ?? `${CLAIMS.files(claimId)}/${encodeURIComponent(file.id)}`
}

/** Photos as thumbnails that open large, videos with native controls, other files as links. */
export function EvidenceGallery({ claimId, files }: { claimId: string; files: ClaimFile[] }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState<ClaimFile | null>(null)
  if (files.length === 0) return <p className="muted">{t('evidence.none')}</p>
  return (
    <>
      <ul className="gallery" data-testid="evidence-gallery">
        {files.map((file) => {
          const type = file.contentType ?? file.mimeType ?? ''
          const name = file.name ?? file.filename ?? file.id
          const label = `${t(`evidence.${file.kind ?? 'defect-media'}`, { defaultValue: file.kind ?? '' })}: ${name}`
          return (
            <li key={file.id}>
              {type.startsWith('image/') ? (
                <button
                  type="button"
                  className="thumb"
                  onClick={() => setOpen(file)}
                  aria-label={t('evidence.open', { name })}
                >
                  <img src={readUrl(claimId, file)} alt={label} loading="lazy" width={160} height={120} />
                </button>
              ) : type.startsWith('video/') ? (
                // biome-ignore lint/a11y/useMediaCaption: customer footage of a fault has no speech to caption
                <video
                  src={readUrl(claimId, file)}
                  controls
                  preload="metadata"
                  width={240}
                  aria-label={label}
                />
              ) : (
                <a href={readUrl(claimId, file)} target="_blank" rel="noreferrer">
                  {label}
                </a>
              )}
            </li>
          )
        })}
      </ul>
      {open && (
        <dialog open className="viewer" aria-label={open.name ?? open.id}>
          <img src={readUrl(claimId, open)} alt={open.name ?? open.filename ?? t('evidence.photo')} />
          <button type="button" onClick={() => setOpen(null)}>
            {t('common.close')}
          </button>
        </dialog>
      )}
    </>
  )
}

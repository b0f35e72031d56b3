import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClaimFile } from '../api/types.ts'

const readUrl = (file: ClaimFile): string => file.url

/**
 * Photos as thumbnails that open large, videos with native controls, other files as links.
 * Every file carries its own download `url`, so the claim id callers pass is not needed.
 */
export function EvidenceGallery({ files }: { claimId?: string; files: ClaimFile[] }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState<ClaimFile | null>(null)
  if (files.length === 0) return <p className="muted">{t('evidence.none')}</p>
  return (
    <>
      <ul className="gallery" data-testid="evidence-gallery">
        {files.map((file) => {
          const type = file.contentType
          const name = file.name
          const label = `${t('common.labelled', { label: t(`evidence.${file.kind}`, { defaultValue: file.kind }) })}${name}`
          return (
            <li key={file.id}>
              {type.startsWith('image/') ? (
                <button
                  type="button"
                  className="thumb"
                  onClick={() => setOpen(file)}
                  aria-label={t('evidence.open', { name })}
                >
                  <img src={readUrl(file)} alt={label} loading="lazy" width={160} height={120} />
                </button>
              ) : type.startsWith('video/') ? (
                // biome-ignore lint/a11y/useMediaCaption: customer footage of a fault has no speech to caption
                <video src={readUrl(file)} controls preload="metadata" width={240} aria-label={label} />
              ) : (
                <a href={readUrl(file)} target="_blank" rel="noreferrer">
                  {label}
                </a>
              )}
            </li>
          )
        })}
      </ul>
      {open && <Viewer file={open} onClose={() => setOpen(null)} />}
    </>
  )
}

/**
 * A photo large, as a modal dialog: it takes the focus, Escape closes it, and the focus goes
 * back to the thumbnail that opened it. Shown with the `open` attribute alone, it covered the
 * page while the focus stayed on the thumbnail behind it and Escape did nothing.
 */
function Viewer({ file, onClose }: { file: ClaimFile; onClose: () => void }) {
  const { t } = useTranslation()
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
    return () => element?.close()
  }, [])
  return (
    <dialog ref={dialog} className="viewer" aria-label={file.name} onClose={onClose}>
      <img src={readUrl(file)} alt={file.name || t('evidence.photo')} />
      <button type="button" onClick={() => dialog.current?.close()}>
        {t('common.close')}
      </button>
    </dialog>
  )
}

import { type Ref, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useFormReset } from './use-form-reset.ts'

/**
 * A file field whose button and "no file chosen" are in the page's language. The browser's
 * own file input speaks the browser's language, not the one chosen here: a customer who
 * reads the page in Chinese on an English browser saw "Choose Files" and "No file chosen".
 *
 * The input itself stays in the form (visually hidden, still focusable and labelled by the
 * field's label), so forms read it as before. `chosen` shows the files a parent keeps in
 * its state; without it the picker shows what was last picked and forgets it when the form
 * is reset.
 */
export function FilePicker({
  id,
  name,
  accept,
  multiple = false,
  required = false,
  chosen,
  onFiles,
  inputRef,
}: {
  id?: string
  name?: string
  accept: string
  multiple?: boolean
  required?: boolean
  chosen?: readonly File[]
  onFiles?(files: File[]): void
  inputRef?: Ref<HTMLInputElement>
}) {
  const { t } = useTranslation()
  const fallbackId = useId()
  const inputId = id ?? fallbackId
  const own = useRef<HTMLInputElement | null>(null)
  const [picked, setPicked] = useState<readonly File[]>([])
  const shown = chosen ?? picked

  useFormReset(own, () => setPicked([]))

  const setRefs = (element: HTMLInputElement | null) => {
    own.current = element
    if (typeof inputRef === 'function') inputRef(element)
    else if (inputRef) (inputRef as { current: HTMLInputElement | null }).current = element
  }

  return (
    <div className="file-picker">
      <input
        ref={setRefs}
        id={inputId}
        name={name}
        className="visually-hidden-input"
        type="file"
        accept={accept}
        multiple={multiple}
        required={required}
        onChange={(event) => {
          const files = [...(event.target.files ?? [])]
          setPicked(files)
          onFiles?.(files)
        }}
      />
      {/* A second label only to open the picker; the field's own label names the input. */}
      <label htmlFor={inputId} className="button button-quiet" aria-hidden="true">
        {multiple ? t('filePicker.chooseMany') : t('filePicker.chooseOne')}
      </label>
      <span className="muted file-picker-chosen" aria-live="polite">
        {shown.length === 0
          ? t('filePicker.none')
          : shown.length === 1
            ? shown[0]?.name
            : t('filePicker.several', { count: shown.length })}
      </span>
    </div>
  )
}

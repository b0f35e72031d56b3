import { type InputHTMLAttributes, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatDate } from '../i18n/i18n.ts'
import { useFormReset } from './use-form-reset.ts'

/**
 * A date field with the chosen date written out beside it in the page's language. The
 * browser draws its date field in its own language and order: a reader who chose Chinese on
 * an English browser sees 12/04/2026 and cannot tell the fourth of December from the
 * twelfth of April. Beside it now: 2026年12月4日, or 4 Dec 2026.
 *
 * Takes the input's own attributes (`id`, `name`, `value` or `defaultValue`, `max`, …), so a
 * form reads it as before.
 */
export function DateField(props: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  const { onChange, value, defaultValue } = props
  // Written again when the reader switches language.
  useTranslation()
  const input = useRef<HTMLInputElement>(null)
  const [typed, setTyped] = useState(String(defaultValue ?? ''))
  const shown = value !== undefined ? String(value) : typed

  useFormReset(input, setTyped)

  return (
    <span className="date-field">
      <input
        {...props}
        ref={input}
        type="date"
        onChange={(event) => {
          setTyped(event.target.value)
          onChange?.(event)
        }}
      />
      <span className="muted date-field-words" aria-hidden="true" data-testid="date-in-words">
        {/^\d{4}-\d{2}-\d{2}$/.test(shown) ? formatDate(shown) : ''}
      </span>
    </span>
  )
}

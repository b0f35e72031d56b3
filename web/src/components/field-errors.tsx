import { ApiError } from '../api/client.ts'
import { ErrorNote } from './status.tsx'

/**
 * A form's view of a refusal that names one of its fields (`body.toEmail`, `transferredOn`):
 * which field it is, the note to show under that field, and the attributes that tie the
 * field to the note for a screen reader. A refusal naming no field of the form is `refused:
 * undefined`, for the form to show as a whole.
 */
export function fieldErrors<Field extends string>(
  error: unknown,
  fields: readonly Field[],
  formId: string,
  labels?: Record<Field, string>,
) {
  const name = error instanceof ApiError && error.field ? error.field.replace(/^body\./, '') : undefined
  const refused = fields.find((field) => field === name)
  const noteFor = (field: Field) =>
    refused === field ? (
      <div id={`${formId}-${field}-error`}>
        <ErrorNote error={error} {...(labels ? { labels } : {})} />
      </div>
    ) : null
  const invalid = (field: Field) =>
    refused === field ? { 'aria-invalid': true, 'aria-describedby': `${formId}-${field}-error` } : {}
  return { refused, noteFor, invalid }
}

import { ApiError } from '../api/client.ts'
import { ErrorNote } from './status.tsx'

/** The fields a refusal names, each with its own message: every issue it lists, else its one field. */
function refusedFields(error: unknown): { field: string; note: ApiError }[] {
  if (!(error instanceof ApiError)) return []
  const issues = error.details?.issues
  const listed = Array.isArray(issues)
    ? issues.flatMap((issue: unknown) => {
        const { field, message } = (issue ?? {}) as { field?: unknown; message?: unknown }
        return typeof field === 'string' && typeof message === 'string'
          ? [{ field, note: new ApiError(error.status, error.code, message, field) }]
          : []
      })
    : []
  if (listed.length > 0) return listed
  return error.field ? [{ field: error.field, note: error }] : []
}

/**
 * The form's field a refused field is, or is part of: `body.faultCausedBy.0`, one item of a
 * list the form edits as a whole, is that list's field.
 */
function fieldOn<Field extends string>(refused: string, fields: readonly Field[]): Field | undefined {
  const name = refused.replace(/^body\./, '')
  return fields.find((known) => name === known || name.startsWith(`${known}.`))
}

/**
 * A form's view of a refusal that names its fields (`body.toEmail`, `transferredOn`): the
 * field it names first, the note to show under each field refused, and the attributes that
 * tie each such field to its note for a screen reader. Several fields wrong are each marked
 * at once. A refusal whose first field is not on the form is `refused: undefined`, for the
 * form to show as a whole.
 */
export function fieldErrors<Field extends string>(
  error: unknown,
  fields: readonly Field[],
  formId: string,
  labels?: Record<Field, string>,
) {
  const notes = new Map<Field, ApiError>()
  for (const { field, note } of refusedFields(error)) {
    const name = fieldOn(field, fields)
    if (name !== undefined && !notes.has(name)) notes.set(name, note)
  }
  // The field the refusal names first; when that is not on the form the form shows the refusal whole.
  const named = error instanceof ApiError && error.field ? fieldOn(error.field, fields) : undefined
  const refused = named !== undefined && notes.has(named) ? named : undefined
  const noteFor = (field: Field) => {
    const note = notes.get(field)
    return note ? (
      <div id={`${formId}-${field}-error`}>
        <ErrorNote error={note} {...(labels ? { labels } : {})} />
      </div>
    ) : null
  }
  const invalid = (field: Field) =>
    notes.has(field) ? { 'aria-invalid': true, 'aria-describedby': `${formId}-${field}-error` } : {}
  return { refused, noteFor, invalid }
}

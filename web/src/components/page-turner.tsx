import { useTranslation } from 'react-i18next'

/**
 * Back to the first page and on to the next of a list the server pages (its `next` cursor);
 * nothing when the whole list is on one page.
 */
export function PageTurner({
  cursor,
  next,
  onTurn,
}: {
  /** The cursor of the page shown; undefined on the first. */
  cursor: string | undefined
  next: string | null | undefined
  onTurn: (cursor: string | undefined) => void
}) {
  const { t } = useTranslation()
  if (cursor === undefined && !next) return null
  return (
    <p className="actions" data-testid="page-turner">
      {cursor !== undefined && (
        <button type="button" className="button-quiet" onClick={() => onTurn(undefined)}>
          {t('common.firstPage')}
        </button>
      )}
      {next && (
        <button type="button" className="button-quiet" onClick={() => onTurn(next)}>
          {t('common.nextPage')}
        </button>
      )}
    </p>
  )
}

import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * Calls `reload` when the reader switches the page's language. The header's switch saves a
 * customer's profile language too, so what a page read of the profile before the switch is
 * stale after it. Only on a change: on the first render the page is reading it already.
 */
export function useReloadOnLanguageChange(reload: () => void): void {
  const { i18n } = useTranslation()
  const shownIn = useRef(i18n.language)
  useEffect(() => {
    if (shownIn.current === i18n.language) return
    shownIn.current = i18n.language
    reload()
  }, [i18n.language, reload])
}

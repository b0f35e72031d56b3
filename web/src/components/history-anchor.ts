import { useEffect } from 'react'
import { useLocation } from 'react-router'

/**
 * The id of a history entry on a claim's page (`history-12`), labelled there `#12` as a
 * recovery line cites it: the line links to it.
 */
export const historyAnchor = (seq: number): string => `history-${seq}`

/**
 * The id of a cost line on a claim's page (`cost-…` and the line's id), where a recovery line
 * that cites the cost links to it.
 */
export const costLineAnchor = (costLineId: string): string => `cost-${costLineId}`

/** The first characters of a cost line's id: how the claim's page and a recovery line both name it. */
export const costLineLabel = (costLineId: string): string => costLineId.slice(0, 8)

/**
 * Brings the element the address names (`…/claims/x#history-12`) into view and focus once
 * the page has drawn it. The router changes the address without the browser's own jump to a
 * fragment, and the entry exists only after the claim's history has loaded.
 */
export function useHashTarget(ready: boolean): void {
  const { hash } = useLocation()
  useEffect(() => {
    if (!ready || hash.length < 2) return
    const target = document.getElementById(decodeURIComponent(hash.slice(1)))
    if (!target) return
    target.scrollIntoView({ block: 'center' })
    target.focus({ preventScroll: true })
  }, [ready, hash])
}

import { useCallback, useEffect, useState } from 'react'
import { api, type RequestOptions } from '../api/client.ts'

export interface Loaded<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  reload(): void
}

/** GETs one path when it changes and keeps the last answer; a null path waits. */
export function useApi<T>(path: string | null, query?: RequestOptions['query']): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(path !== null)
  const [round, setRound] = useState(0)
  const queryKey = JSON.stringify(query ?? {})

  // biome-ignore lint/correctness/useExhaustiveDependencies: queryKey stands for query; round forces a reload
  useEffect(() => {
    if (path === null) return
    const controller = new AbortController()
    setLoading(true)
    setError(null)
    api
      .get<T>(path, { signal: controller.signal, query: JSON.parse(queryKey) })
      .then((body) => setData(body))
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(failure)
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false)
      })
    return () => controller.abort()
  }, [path, queryKey, round])

  const reload = useCallback(() => setRound((n) => n + 1), [])
  return { data, error, loading, reload }
}

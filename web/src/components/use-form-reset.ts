import { type RefObject, useEffect, useRef } from 'react'

/**
 * Calls `onReset` with the input's value once the form holding it has been reset. A field
 * that shows something beside its input (the chosen file's name, the date in words) must
 * forget it when the form empties the input, which fires no change event.
 */
export function useFormReset(
  input: RefObject<HTMLInputElement | null>,
  onReset: (value: string) => void,
): void {
  const latest = useRef(onReset)
  latest.current = onReset
  useEffect(() => {
    const form = input.current?.form
    if (!form) return
    // The reset event comes before the form puts its fields back: read them once it has.
    const afterReset = () => setTimeout(() => latest.current(input.current?.value ?? ''))
    form.addEventListener('reset', afterReset)
    return () => form.removeEventListener('reset', afterReset)
  }, [input])
}

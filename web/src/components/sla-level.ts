const WARNING_MS = 4 * 60 * 60 * 1000

/**
 * The level of a clock the server coloured (src/sla/domain/clock-rules.ts, colourOf): due soon
 * from red, the moment its warning e-mail goes out, as on the SLA queue; paused while paused
 * in time.
 */
export function levelOfClock(due: { status: string; colour: string | null }): string | null {
  // Paused after its due moment had passed, a clock is late all the same.
  if (due.colour === 'breached') return 'breached'
  if (due.status === 'paused') return 'paused'
  if (due.colour === 'red') return 'warning'
  if (due.colour === 'green' || due.colour === 'amber') return 'ok'
  return due.status === 'breached' ? 'breached' : null
}

/**
 * Colour by how close the deadline is; the words carry the same meaning for colour-blind readers.
 * A paused clock stands still while the claim waits on the customer: its due moment moves on
 * by the time it stood when it runs again, so the time to it says nothing until then.
 */
export function readSlaLevel(
  dueAt: string | null,
  status: string | null,
  now = Date.now(),
): 'ok' | 'warning' | 'breached' | 'paused' | 'none' {
  if (status === 'breached' || status === 'warning' || status === 'ok' || status === 'paused') return status
  if (!dueAt) return 'none'
  const left = new Date(dueAt).getTime() - now
  if (left < 0) return 'breached'
  return left < WARNING_MS ? 'warning' : 'ok'
}

/**
 * The date where the browser is, as `YYYY-MM-DD`: what the person at the form calls today.
 * Not `toISOString()`, which gives the UTC date: in Shanghai that is still yesterday until
 * 08:00, so a form would refuse a unit bought this morning and date a claim a day early.
 */
export function localToday(now: Date = new Date()): string {
  const pad = (value: number, width: number) => String(value).padStart(width, '0')
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1, 2)}-${pad(now.getDate(), 2)}`
}

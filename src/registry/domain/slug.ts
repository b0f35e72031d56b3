/** An id part made from a name: lower case, runs of anything but letters and digits as one hyphen. */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/"/g, 'in')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

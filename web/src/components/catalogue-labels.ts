/** Looks a key up in the reader's words, with the words to show when there is none (i18next's `t`). */
type Translate = (key: string, options: { defaultValue: string }) => string

/**
 * A key as words, for a category or specification column an import brought that the web
 * app has no label for: `backFocalLength` reads "Back focal length", `astro-box` "Astro box".
 */
export function keyAsWords(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_\s]+/g, ' ')
    .trim()
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** The name of a catalogue category (`filter-wheel`) in the reader's language. */
export const categoryLabel = (t: Translate, category: string): string =>
  t(`catalogue.categories.${category}`, { defaultValue: keyAsWords(category) })

/** The name of a specification (`pixelSize`) in the reader's language. */
export const specLabel = (t: Translate, spec: string): string =>
  t(`catalogue.specs.${spec}`, { defaultValue: keyAsWords(spec) })

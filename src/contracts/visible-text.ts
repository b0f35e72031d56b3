/**
 * Characters nothing shows: white space of every kind and the code points a renderer
 * ignores (zero-width space and joiners, word joiner, BOM, soft hyphen, Hangul fillers).
 * JavaScript's `trim()` keeps the second kind, so text made of them looks empty on every
 * page and e-mail yet passes a "required" check.
 */
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}]/gu

/** True when the text shows at least one character. Pure: the web forms use it too. */
export const showsSomething = (text: string): boolean => text.replace(INVISIBLE, '') !== ''

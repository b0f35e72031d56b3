import i18next from 'i18next'

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement

function isField(target: EventTarget | null): target is Field {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLSelectElement ||
    target instanceof HTMLTextAreaElement
  )
}

/** What is missing from a required field, by its kind: a file is chosen, a box ticked, a text typed. */
function missingKey(field: Field): string {
  if (field instanceof HTMLSelectElement) return 'validity.chooseOption'
  if (field instanceof HTMLInputElement) {
    if (field.type === 'file') return 'validity.chooseFile'
    if (field.type === 'checkbox') return 'validity.tickBox'
    if (field.type === 'radio') return 'validity.chooseOption'
  }
  return 'validity.fillIn'
}

/** What the browser expected in a typed field it cannot read. */
function mismatchKey(field: Field): string {
  if (field.type === 'email') return 'validity.email'
  if (field.type === 'url') return 'validity.url'
  return 'validity.badInput'
}

/** The page's words for why the browser refuses a field, or null when the field is valid. */
export function describeInvalidField(field: Field): string | null {
  const { validity } = field
  const t = i18next.t.bind(i18next)
  if (validity.valueMissing) return t(missingKey(field))
  if (validity.typeMismatch) return t(mismatchKey(field))
  if (validity.tooShort)
    return t('validity.tooShort', { minimum: field.getAttribute('minlength'), length: field.value.length })
  if (validity.tooLong)
    return t('validity.tooLong', { maximum: field.getAttribute('maxlength'), length: field.value.length })
  if (validity.rangeUnderflow) return t('validity.atLeast', { minimum: field.getAttribute('min') })
  if (validity.rangeOverflow) return t('validity.atMost', { maximum: field.getAttribute('max') })
  if (validity.patternMismatch) return t('validity.pattern')
  if (validity.badInput || validity.stepMismatch) return t('validity.badInput')
  return null
}

/**
 * The browser writes its own refusal of a field ("Please fill out this field.") in the
 * browser's language, not the page's: a reader who switched the page to Chinese on an English
 * browser was told in English. Every form of the app gets the page's words instead, from one
 * listener, and a field is free again as soon as it is edited.
 */
export function translateFieldRefusals(root: Document = document): void {
  root.addEventListener(
    'invalid',
    (event) => {
      if (!isField(event.target)) return
      const field = event.target
      // The browser's own verdict, not the message set at the last refusal.
      field.setCustomValidity('')
      const message = describeInvalidField(field)
      if (message) field.setCustomValidity(message)
    },
    true,
  )
  const release = (event: Event) => {
    const field = event.target
    if (!isField(field)) return
    field.setCustomValidity('')
    // A required choice is refused on every button of its group, but only the one ticked hears
    // of it: the others would keep the refusal and the form could never be sent.
    if (field instanceof HTMLInputElement && field.type === 'radio' && field.form && field.name) {
      const group = field.form.elements.namedItem(field.name)
      if (group instanceof RadioNodeList)
        for (const button of group) if (button instanceof HTMLInputElement) button.setCustomValidity('')
    }
  }
  root.addEventListener('input', release, true)
  root.addEventListener('change', release, true)
}

/**
 * The form labels of the API's fields, for errors a customer reads: the server names the
 * field it refused by its place in the request (`body.problem.description`), which means
 * nothing to a person; the form calls it "Describe the fault". Keys are i18n keys of the
 * labels the forms already show.
 */
const LABELS: Record<string, string> = {
  serial: 'lookup.serial',
  'problem.description': 'newClaim.description',
  'problem.noticedOn': 'newClaim.claimedOn',
  'problem.kind': 'newClaim.kind',
  unit: 'newClaim.unit',
  purchasedOn: 'register.purchasedOn',
  model: 'register.model',
  channel: 'register.channel',
  dealerOrgId: 'register.dealer',
  proofFileId: 'register.proof',
  name: 'address.name',
  phone: 'address.phone',
  street: 'address.street',
  line2: 'address.line2',
  city: 'address.city',
  region: 'address.region',
  postalCode: 'address.postalCode',
  country: 'address.country',
  file: 'newClaim.evidence',
  files: 'newClaim.evidence',
  toEmail: 'my.passOn.email',
  toName: 'my.passOn.name',
  transferredOn: 'my.passOn.soldOn',
}

/**
 * The i18n key of the label of an API field (`body.problem.description`), if a form shows it;
 * `own` are a form's own labels of fields it calls otherwise (staff name a "new owner", not a buyer).
 */
export function labelKeyOf(field: string, own: Record<string, string> = {}): string | undefined {
  const name = field.replace(/^(body|params|query|querystring)\./, '')
  // One item of a list (`faultCausedBy.0`) is said by the list's label when it has none of its own.
  for (const candidate of [name, name.replace(/(\.\d+)+$/, '')]) {
    if (Object.hasOwn(own, candidate)) return own[candidate]
    if (Object.hasOwn(LABELS, candidate)) return LABELS[candidate]
  }
  return undefined
}

/**
 * A server message with the field it names at its start (`body.serial: …`, `body.serial：…`)
 * said by its label instead; any other message as it is.
 */
export function withFieldLabel(
  message: string,
  field: string | undefined,
  label: (key: string) => string,
  own: Record<string, string> = {},
): string {
  if (!field) return message
  const key = labelKeyOf(field, own)
  if (key === undefined) return message
  for (const separator of [': ', '：']) {
    if (message.startsWith(`${field}${separator}`)) {
      // "Phone (optional)" is a form's label; the error names the field, not the hint.
      const name = label(key).replace(/\s*[(（][^)）]*[)）]$/, '')
      return `${name}${separator}${message.slice(field.length + separator.length)}`
    }
  }
  return message
}

/**
 * A refusal shown beside the very input it names, without that input's name in front: beside
 * a chosen file, "body.file: the file is damaged" reads as a path, and the file's own row
 * already says which file it is.
 */
export function withoutFieldName(message: string, field: string | undefined): string {
  if (!field) return message
  for (const separator of [': ', '：']) {
    if (message.startsWith(`${field}${separator}`)) return message.slice(field.length + separator.length)
  }
  return message
}

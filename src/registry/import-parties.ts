import crypto from 'node:crypto'
import { showsSomething } from '../contracts/visible-text.ts'
import type { AppContext } from '../shared/app-context.ts'
import { type ImportSummary, type RowReject, rejectWith, runCsvImport } from './csv-import.ts'
import { serializeAddress } from './domain/address.ts'
import { normalizeModelKey } from './domain/model-key.ts'
import { slugOf } from './domain/slug.ts'
import type { ImportOptions } from './import-units.ts'

export const CUSTOMER_CSV_COLUMNS = [
  'email',
  'name',
  'phone',
  'locale',
  'localeChosen',
  'street',
  'city',
  'postcode',
  'region',
  'country',
] as const
export const DEALER_CSV_COLUMNS = [
  'name',
  'kind',
  'country',
  'email',
  'phone',
  'street',
  'city',
  'postcode',
  'region',
  'id',
] as const

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const LOCALE_CHOSEN: Record<string, boolean> = { true: true, yes: true, false: false, no: false }
/** The longest name of a customer or organisation, as the API takes one. */
const MOST_NAME_CHARACTERS = 200

function addressOf(record: Record<string, string>, countryFallback?: string): string | null {
  return serializeAddress({
    line1: record.street,
    city: record.city,
    postcode: record.postcode,
    region: record.region,
    country: record.country || countryFallback,
  })
}

/** Imports customers (upsert by e-mail; unchanged rows keep their `updated_at`). */
export function importCustomers(ctx: AppContext, options: ImportOptions): Promise<ImportSummary> {
  return runCsvImport<{
    email: string
    name: string
    phone: string | null
    /** Null when the file leaves it empty: nobody chose, so a customer who exists keeps theirs. */
    locale: 'en' | 'zh' | null
    /** The file says the customer chose `locale` (as an export writes a choice), not that it was seen. */
    localeChosen: boolean
    address: string | null
  }>(ctx.db, {
    ...options,
    requiredColumns: ['email', 'name'],
    knownColumns: CUSTOMER_CSV_COLUMNS,
    prepare(record) {
      const email = (record.email ?? '').toLowerCase()
      if (!EMAIL.test(email)) return rejectWith('email', { key: 'import.email' }) satisfies RowReject
      // As the API takes a name: something to read (not zero-width characters alone), bounded.
      if (!record.name || !showsSomething(record.name)) return rejectWith('name', { key: 'import.required' })
      if (record.name.length > MOST_NAME_CHARACTERS)
        return rejectWith('name', { key: 'import.too-long', params: { maximum: MOST_NAME_CHARACTERS } })
      const locale = record.locale || null
      if (locale !== null && locale !== 'en' && locale !== 'zh')
        return rejectWith('locale', { key: 'import.locale' })
      const chosen = record.localeChosen ?? ''
      const localeChosen = chosen === '' ? false : LOCALE_CHOSEN[chosen.toLowerCase()]
      if (localeChosen === undefined)
        return rejectWith('localeChosen', { key: 'import.boolean', params: { value: chosen } })
      if (localeChosen && locale === null)
        return rejectWith('localeChosen', {
          key: 'import.locale-chosen-without-locale',
          params: { column: 'locale' },
        })
      return {
        email,
        name: record.name,
        phone: record.phone || null,
        locale,
        localeChosen,
        address: addressOf(record),
      }
    },
    async write(trx, rows) {
      const now = ctx.now().toISOString()
      let written = 0
      for (const { value } of rows) {
        const { locale, localeChosen, ...rest } = value
        // A language in the file is what staff or the old system held, not the customer's
        // own word: a guess, which never replaces a language the customer chose. Only a row
        // saying so (`localeChosen`, as an export writes a choice) records one, and it too
        // leaves a choice the customer made here as it is.
        const guessed = locale !== null && !localeChosen
        const chosen = locale !== null && localeChosen
        const result = await trx
          .insertInto('customers')
          .values({
            id: `cus-${crypto.randomUUID()}`,
            ...rest,
            locale: locale ?? 'en',
            locale_chosen_at: chosen ? now : null,
            locale_guessed_at: guessed ? now : null,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) =>
            oc
              .column('email')
              .doUpdateSet((eb) => {
                const unlessChosen = <C extends 'locale' | 'locale_chosen_at' | 'locale_guessed_at'>(
                  column: C,
                ) =>
                  eb
                    .case()
                    .when('customers.locale_chosen_at', 'is', null)
                    .then(eb.ref(`excluded.${column}`))
                    .else(eb.ref(`customers.${column}`))
                    .end()
                return {
                  name: eb.ref('excluded.name'),
                  phone: eb.ref('excluded.phone'),
                  address: eb.ref('excluded.address'),
                  updated_at: eb.ref('excluded.updated_at'),
                  ...(guessed
                    ? { locale: unlessChosen('locale'), locale_guessed_at: unlessChosen('locale_guessed_at') }
                    : {}),
                  ...(chosen
                    ? { locale: unlessChosen('locale'), locale_chosen_at: unlessChosen('locale_chosen_at') }
                    : {}),
                }
              })
              .where((eb) =>
                eb.or([
                  ...(['name', 'phone', 'address'] as const).map((c) =>
                    eb(`customers.${c}`, 'is distinct from', eb.ref(`excluded.${c}`)),
                  ),
                  ...(chosen ? [eb('customers.locale_chosen_at', 'is', null)] : []),
                  ...(guessed
                    ? [
                        eb.and([
                          eb('customers.locale_chosen_at', 'is', null),
                          eb.or([
                            eb('customers.locale', 'is distinct from', eb.ref('excluded.locale')),
                            eb('customers.locale_guessed_at', 'is', null),
                          ]),
                        ]),
                      ]
                    : []),
                ]),
              ),
          )
          .executeTakeFirst()
        written += Number(result.numInsertedOrUpdatedRows ?? 0)
      }
      return written
    },
  })
}

interface DealerValue {
  id: string
  kind: 'dealer' | 'agent'
  name: string
  name_key: string
  country: string
  email: string
  phone: string | null
  service_address: string | null
}

/** Imports dealers and agents (upsert by name, ignoring case, spaces and hyphens). */
export function importDealers(ctx: AppContext, options: ImportOptions): Promise<ImportSummary> {
  return runCsvImport<DealerValue>(ctx.db, {
    ...options,
    requiredColumns: ['name', 'country', 'email'],
    knownColumns: DEALER_CSV_COLUMNS,
    prepare(record) {
      const name = record.name ?? ''
      if (name.length < 2 || !showsSomething(name))
        return rejectWith('name', { key: 'import.required' }) satisfies RowReject
      if (name.length > MOST_NAME_CHARACTERS)
        return rejectWith('name', { key: 'import.too-long', params: { maximum: MOST_NAME_CHARACTERS } })
      const kind = record.kind || 'dealer'
      if (kind !== 'dealer' && kind !== 'agent') return rejectWith('kind', { key: 'import.org-kind' })
      const country = (record.country ?? '').toUpperCase()
      if (!/^[A-Z]{2}$/.test(country)) return rejectWith('country', { key: 'import.country' })
      const email = (record.email ?? '').toLowerCase()
      if (!EMAIL.test(email)) return rejectWith('email', { key: 'import.email' })
      return {
        id: record.id || `org-${slugOf(name)}`,
        kind,
        name,
        name_key: normalizeModelKey(name),
        country,
        email,
        phone: record.phone || null,
        service_address: addressOf(record, country),
      }
    },
    async write(trx, rows) {
      const now = ctx.now().toISOString()
      let written = 0
      for (const { value } of rows) {
        const result = await trx
          .insertInto('organisations')
          .values({ ...value, default_policy_id: null, agent_org_id: null, created_at: now, updated_at: now })
          .onConflict((oc) =>
            oc
              .column('name_key')
              .doUpdateSet((eb) => ({
                name: eb.ref('excluded.name'),
                kind: eb.ref('excluded.kind'),
                country: eb.ref('excluded.country'),
                email: eb.ref('excluded.email'),
                phone: eb.ref('excluded.phone'),
                service_address: eb.ref('excluded.service_address'),
                updated_at: eb.ref('excluded.updated_at'),
              }))
              .where((eb) =>
                eb.or(
                  (['name', 'kind', 'country', 'email', 'phone', 'service_address'] as const).map((c) =>
                    eb(`organisations.${c}`, 'is distinct from', eb.ref(`excluded.${c}`)),
                  ),
                ),
              ),
          )
          .executeTakeFirst()
        written += Number(result.numInsertedOrUpdatedRows ?? 0)
      }
      return written
    },
  })
}

import { languageFromHeader, type MessageLanguage } from '../shared/messages/translate.ts'

/**
 * The language an answer is worded in: what the request's `Accept-Language` asks for when it
 * names English or Chinese (the web app sends the language its reader chose), else the
 * signed-in user's own setting, else English.
 */
export function requestLanguage(
  acceptLanguage: string | undefined,
  userSetting: MessageLanguage | null,
): MessageLanguage {
  return languageFromHeader(acceptLanguage) ?? userSetting ?? 'en'
}

/** The language a route words its answer in when it has only the request's headers to go by. */
export const headerLanguage = (request: { headers: { 'accept-language'?: string | undefined } }) =>
  requestLanguage(request.headers['accept-language'], null)

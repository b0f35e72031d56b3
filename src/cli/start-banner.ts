import { type MessageLanguage, translate, wordOf } from '../shared/messages/translate.ts'

/** Han characters and full-width punctuation take two columns of a terminal. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/gu

const columns = (text: string): number => text.length + (text.match(WIDE)?.length ?? 0)
const padColumns = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - columns(text)))

export interface DemoSignIn {
  role: string
  email: string
  password: string
}

/**
 * What `start` prints once it serves: the address, the API documentation and the demo's
 * sign-ins. The English lines are read by scripts and tests for the address
 * (`running at http://…`); in Chinese too the address stands alone between spaces.
 */
export function startBanner(
  language: MessageLanguage,
  { address, engine, signIns }: { address: string; engine: string; signIns: readonly DemoSignIn[] },
): string[] {
  const lines = [
    '',
    translate(language, 'cli.start.running', { address, engine }),
    `  ${translate(language, 'cli.start.api-docs', { url: `${address}/api/docs` })}`,
  ]
  if (signIns.length > 0) {
    lines.push('', translate(language, 'cli.start.demo-sign-ins'))
    // The role is a word of the reader's language, padded by the columns it takes.
    const roles = signIns.map((s) => wordOf(language, 'role', s.role))
    const roleWidth = Math.max(11, ...roles.map(columns))
    const width = Math.max(...signIns.map((s) => s.email.length))
    signIns.forEach((s, index) => {
      const password = translate(language, 'cli.password', { password: s.password })
      lines.push(`  ${padColumns(roles[index] ?? s.role, roleWidth)} ${s.email.padEnd(width)}  ${password}`)
    })
  }
  lines.push('', translate(language, 'cli.start.stop'), '')
  return lines
}

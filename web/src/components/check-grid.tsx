/**
 * A grid of unticked checkboxes, one per choice, named `<prefix>-<choice>` so a form's
 * FormData reads them back (`finding-liquid-damage`, `evidence-defect-media`).
 */
export function CheckGrid({
  prefix,
  choices,
  labelOf,
}: {
  prefix: string
  choices: readonly string[]
  labelOf: (choice: string) => string
}) {
  return (
    <div className="check-grid">
      {choices.map((choice) => (
        <label key={choice} className="choice">
          <input type="checkbox" name={`${prefix}-${choice}`} />
          {labelOf(choice)}
        </label>
      ))}
    </div>
  )
}

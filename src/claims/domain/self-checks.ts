/**
 * Guided self-checks per product line, walked through before anything ships
 * (seed 003 step one "remote problem analysis and judgment, so that unnecessary repairs
 * can be resolved on site"; seed 001 "solved in other ways by upgrading the system or
 * receiving some spare parts").
 */
export interface SelfCheck {
  id: string
  /** What to do and what a healthy unit shows, in the source's own terms. */
  instruction: string
  /** What to try when the check fails, when the source says. */
  remedy?: string
}

/**
 * The product lines a checklist serves, as catalogue facts: the brand (organisation) of the
 * model and, where the brand makes more than one line, the model categories. Selection reads
 * this table; no code names a policy or matches a model name.
 */
export interface ProductLine {
  brandOrgIds: readonly string[]
  categories?: readonly string[]
}

export interface SelfCheckList {
  id: string
  title: string
  source: string
  /** Omitted: offered only by its id (the general advice before sending anything in). */
  appliesTo?: ProductLine
  checks: SelfCheck[]
}

/** Seed 004, "First time to run your camera" and the capture-software settings. */
const PLAYER_ONE_COOLED: SelfCheckList = {
  id: 'player-one-cooled-camera',
  title: 'Player One cooled camera: first-run checks',
  source: 'player-one manual, First time to run your camera',
  appliesTo: { brandOrgIds: ['org-player-one'], categories: ['camera', 'cooled-camera'] },
  checks: [
    {
      id: 'usb3-link',
      instruction: 'Connect the camera to a USB 3.0 port; the software shows a USB3.0 connection.',
      remedy: 'Use a USB 3.0 port and the supplied cable.',
    },
    {
      id: 'fps-near-spec',
      instruction:
        'Check FPS: a value near the FPS in the camera specification means data reaches the computer normally.',
      remedy: 'A low FPS points at the link: use a USB 3.0 port directly on the computer, not a hub.',
    },
    {
      id: 'preview-responds',
      instruction: 'Check the preview: adjusting the exposure changes the brightness of the preview.',
    },
    {
      id: 'power-12v',
      instruction: 'Plug in the 12V power supply (12V 5A AC to DC).',
      remedy: 'The cooler needs the 12V 5A supply; USB power alone does not run it.',
    },
    { id: 'cooler-on', instruction: 'Set Cooler "On" and the target temperature to 0 degree.' },
    { id: 'fan-running', instruction: 'Check the fan is running.' },
    {
      id: 'temperature-falling',
      instruction: 'The temperature drops from ambient and Cooler Power rises from 0.',
    },
    {
      id: 'download-bandwidth',
      instruction: 'If image downloads fail, reduce the USB bandwidth to 40%.',
      remedy: 'Manual USB bandwidth: 40%.',
    },
  ],
}

/** ToupTek after-sales: "download the latest software for upgrading". */
const TOUPTEK: SelfCheckList = {
  id: 'touptek',
  title: 'ToupTek: software first',
  source: 'touptek after-sales service',
  appliesTo: { brandOrgIds: ['org-touptek'] },
  checks: [
    {
      id: 'latest-software',
      instruction:
        'Download and install the latest software from HomePage-Software Download, then try again.',
      remedy: 'Download the latest software from HomePage-Software Download and upgrade.',
    },
    { id: 'cable-port', instruction: 'Try another USB cable and port.' },
  ],
}

/** IST step one: remote problem analysis and judgment. */
const IST: SelfCheckList = {
  id: 'ist',
  title: 'IST: remote problem analysis',
  source: 'ist after-sales maintenance process, first step',
  appliesTo: { brandOrgIds: ['org-beijing-ist'] },
  checks: [
    {
      id: 'describe-fault',
      instruction: 'Describe the fault and when it appears, with the SN from the back of the unit.',
    },
    { id: 'free-software-upgrade', instruction: 'Install the free software upgrade if one is offered.' },
    {
      id: 'backup-data',
      instruction: 'Back up your data: IST does not guarantee data stored in the product.',
    },
  ],
}

const GENERIC: SelfCheckList = {
  id: 'generic',
  title: 'Before you send it in',
  source: 'seed 001: fix by upgrade or spare parts first',
  checks: [
    {
      id: 'latest-software',
      instruction: 'Update the driver, firmware and capture software to the latest version.',
    },
    { id: 'power-cables', instruction: 'Check the power supply and cables; try another port.' },
    { id: 'describe-fault', instruction: 'Take a photo or video of the fault and describe it.' },
  ],
}

export const SELF_CHECK_LISTS: readonly SelfCheckList[] = [PLAYER_ONE_COOLED, TOUPTEK, IST, GENERIC]

/** The checklist of one id, for links and for recorded answers. */
export function selfCheckListById(id: string): SelfCheckList | undefined {
  return SELF_CHECK_LISTS.find((l) => l.id === id)
}

/**
 * The checklist of a product line: the first list whose brand and (when it names them)
 * categories match the model. None when the line has no checks of its own, so the page
 * can say so rather than show another product's steps.
 */
export function selectSelfChecks(line: { brandOrgId: string; category: string }): SelfCheckList | undefined {
  return SELF_CHECK_LISTS.find(
    (list) =>
      list.appliesTo?.brandOrgIds.includes(line.brandOrgId) &&
      (list.appliesTo.categories === undefined || list.appliesTo.categories.includes(line.category)),
  )
}

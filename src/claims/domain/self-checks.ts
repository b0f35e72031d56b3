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

export interface SelfCheckList {
  id: string
  title: string
  source: string
  checks: SelfCheck[]
}

/** Seed 004, "First time to run your camera" and the capture-software settings. */
const PLAYER_ONE_COOLED: SelfCheckList = {
  id: 'player-one-cooled-camera',
  title: 'Player One cooled camera: first-run checks',
  source: 'player-one manual, First time to run your camera',
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
    },
    {
      id: 'preview-responds',
      instruction: 'Check the preview: adjusting the exposure changes the brightness of the preview.',
    },
    { id: 'power-12v', instruction: 'Plug in the 12V power supply (12V 5A AC to DC).' },
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
  checks: [
    {
      id: 'latest-software',
      instruction:
        'Download and install the latest software from HomePage-Software Download, then try again.',
    },
    { id: 'cable-port', instruction: 'Try another USB cable and port.' },
  ],
}

/** IST step one: remote problem analysis and judgment. */
const IST: SelfCheckList = {
  id: 'ist',
  title: 'IST: remote problem analysis',
  source: 'ist after-sales maintenance process, first step',
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

/**
 * Picks the checklist for a model, category or policy: a list id wins, then Player One
 * cooled cameras, then the policy's own list, then the generic one.
 */
export function selectSelfChecks(key: {
  list?: string
  model?: string
  category?: string
  policy?: string
}): SelfCheckList {
  const byId = SELF_CHECK_LISTS.find((l) => l.id === key.list || l.id === key.model || l.id === key.category)
  if (byId) return byId
  const isPlayerOne = key.policy === 'player-one' || /player.?one/i.test(key.model ?? '')
  const cooled = /pro|cooled|\bc\b/i.test(key.model ?? '') || key.category === 'cooled-camera'
  if (isPlayerOne && (cooled || key.category === 'camera' || key.category === undefined))
    return PLAYER_ONE_COOLED
  if (key.policy === 'touptek' || /touptek/i.test(key.model ?? '')) return TOUPTEK
  if (key.policy === 'ist') return IST
  return GENERIC
}

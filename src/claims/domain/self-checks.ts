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

/**
 * The lists a unit's answers may be recorded against: its product line's own, and the
 * general advice offered to every unit. Another line's steps say nothing about this unit.
 */
export function selfCheckListIdsFor(line: { brandOrgId: string; category: string }): string[] {
  const own = selectSelfChecks(line)
  return [...(own ? [own.id] : []), GENERIC.id]
}

/** One checklist's words in another language, check by check (by id). */
export interface SelfCheckTranslation {
  title: string
  checks: Record<string, { instruction: string; remedy?: string }>
}

/**
 * The checklists in Simplified Chinese. Typed by list id so a list added above without its
 * Chinese is noticed by the test beside this file.
 */
export const SELF_CHECK_ZH: Record<string, SelfCheckTranslation> = {
  'player-one-cooled-camera': {
    title: 'Player One 制冷相机：首次使用检查',
    checks: {
      'usb3-link': {
        instruction: '将相机连接到电脑的 USB 3.0 接口；软件应显示为 USB3.0 连接。',
        remedy: '请使用 USB 3.0 接口和随附的数据线。',
      },
      'fps-near-spec': {
        instruction: '查看帧率：接近相机规格中的帧率，说明数据能正常传到电脑。',
        remedy: '帧率偏低多半是连接问题：请直接使用电脑上的 USB 3.0 接口，不要经过集线器。',
      },
      'preview-responds': { instruction: '查看预览：调整曝光时，预览画面的亮度随之变化。' },
      'power-12v': {
        instruction: '接上 12V 电源（12V 5A 交流转直流）。',
        remedy: '制冷需要 12V 5A 电源；仅靠 USB 供电无法制冷。',
      },
      'cooler-on': { instruction: '将制冷（Cooler）设为“开”，目标温度设为 0 度。' },
      'fan-running': { instruction: '确认风扇在转动。' },
      'temperature-falling': { instruction: '温度从环境温度开始下降，制冷功率从 0 开始上升。' },
      'download-bandwidth': {
        instruction: '如果图像下载失败，请把 USB 带宽降到 40%。',
        remedy: '手动设置 USB 带宽：40%。',
      },
    },
  },
  touptek: {
    title: 'ToupTek：先更新软件',
    checks: {
      'latest-software': {
        instruction: '从官网“软件下载”页面下载并安装最新软件，然后再试一次。',
        remedy: '从官网“软件下载”页面下载最新软件并升级。',
      },
      'cable-port': { instruction: '换一根 USB 数据线和另一个接口试试。' },
    },
  },
  ist: {
    title: 'IST：远程问题分析',
    checks: {
      'describe-fault': { instruction: '描述故障现象及出现的时机，并提供机身背面的序列号。' },
      'free-software-upgrade': { instruction: '如有免费的软件升级，请先安装。' },
      'backup-data': { instruction: '请备份您的数据：IST 不保证产品中存储的数据。' },
    },
  },
  generic: {
    title: '寄修之前',
    checks: {
      'latest-software': { instruction: '将驱动、固件和拍摄软件更新到最新版本。' },
      'power-cables': { instruction: '检查电源和连接线；换一个接口试试。' },
      'describe-fault': { instruction: '拍下故障的照片或视频，并描述故障。' },
    },
  },
}

/** The checklist as the API shows it: its own words, and the Chinese beside them. */
export function selfCheckListWithTranslations(list: SelfCheckList) {
  const zh = SELF_CHECK_ZH[list.id]
  return {
    id: list.id,
    title: list.title,
    source: list.source,
    checks: list.checks,
    ...(zh
      ? {
          translations: {
            zh: {
              title: zh.title,
              checks: list.checks.map((check) => ({
                id: check.id,
                ...(zh.checks[check.id] ?? { instruction: check.instruction }),
              })),
            },
          },
        }
      : {}),
  }
}

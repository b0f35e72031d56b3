import type { EvidenceKind, Finding, PartKind, ProblemKind } from '../../contracts/case.ts'
import type { Basis, CostKind, Handler, Party, Remedy } from '../../contracts/decision.ts'
import type { StartEvent } from './policy-format.ts'

/**
 * The words decisions are told in, English and Simplified Chinese: one table per
 * vocabulary of the contract, so that no code reaches a customer. A `Record` over each
 * vocabulary, so a new code does not compile until it has words.
 */
export interface Both {
  en: string
  zh: string
}

export const REMEDY_WORDS: Record<Remedy, Both> = {
  repair: { en: 'a repair', zh: '维修' },
  replace: { en: 'a replacement', zh: '更换新品' },
  refund: { en: 'a refund', zh: '退款' },
  'remote-fix': { en: 'help from support at a distance', zh: '远程技术支持' },
  'software-upgrade': { en: 'a software upgrade', zh: '软件升级' },
  'paid-repair': { en: 'a repair at your cost', zh: '付费维修' },
}

export const FINDING_WORDS: Record<Finding, Both> = {
  'liquid-damage': { en: 'liquid, moisture or corrosion damage', zh: '进液、受潮或腐蚀' },
  'foreign-matter': { en: 'sand, oil or debris inside', zh: '内部有沙、油或杂物' },
  'physical-damage': { en: 'damage from external force', zh: '外力造成的损坏' },
  'unauthorized-disassembly': {
    en: 'opening or repair by someone not authorised',
    zh: '未经授权的拆机或维修',
  },
  'unauthorized-modification': {
    en: 'unauthorised changes to hardware or software',
    zh: '未经授权改动软硬件',
  },
  'unauthorized-firmware': { en: 'firmware not authorised by the maker', zh: '刷写未经授权的固件' },
  malware: { en: 'damage by malicious software', zh: '病毒或恶意软件损坏' },
  'seal-broken': { en: 'a broken or missing warranty seal', zh: '保修标签缺失或损坏' },
  'serial-tampered': { en: 'an altered or removed serial number', zh: '序列号被改动或去除' },
  'serial-mismatch': { en: 'a serial number that does not match the papers', zh: '序列号与凭证不符' },
  'improper-installation': { en: 'installation not as the manual says', zh: '未按说明书安装' },
  'improper-use': { en: 'use or storage not as the manual says', zh: '未按说明书使用或存放' },
  'improper-power': { en: 'a wrong power supply or voltage', zh: '使用不合规的电源或电压' },
  'force-majeure': {
    en: 'damage by a natural disaster or similar force',
    zh: '自然灾害等不可抗力造成的损坏',
  },
  'return-transit-damage': { en: 'damage while being sent in for service', zh: '送修途中造成的损坏' },
}

export const EVIDENCE_WORDS: Record<EvidenceKind, Both> = {
  'package-photos': { en: 'photos of the package', zh: '包装照片' },
  'shipping-slip': { en: 'the shipping slip', zh: '发货单' },
  'defect-media': { en: 'a photo or video of the fault', zh: '故障照片或视频' },
  'serial-photo': { en: 'a photo of the serial number', zh: '序列号照片' },
  'delivery-receipt': { en: 'the delivery receipt', zh: '签收凭证' },
  'carrier-report': { en: "the carrier's damage report", zh: '承运商出具的损坏证明' },
}

export const COST_WORDS: Record<CostKind, Both> = {
  parts: { en: 'parts', zh: '配件' },
  labour: { en: 'labour', zh: '人工' },
  'inbound-shipping': { en: 'sending the unit in', zh: '寄回送修的运费' },
  'return-shipping': { en: 'sending it back to you', zh: '寄还给您的运费' },
  'missing-items': { en: 'any missing accessories', zh: '缺失的配件' },
  duties: { en: 'import duties and taxes', zh: '进口关税' },
}

/** Who pays, as the subject of a sentence. */
export const PAYER_WORDS: Record<Party, Both> = {
  customer: { en: 'You pay for', zh: '由您承担' },
  vendor: { en: 'The seller pays for', zh: '由销售方承担' },
  dealer: { en: 'The dealer pays for', zh: '由经销商承担' },
  manufacturer: { en: 'The manufacturer pays for', zh: '由制造商承担' },
}

export const PARTY_WORDS: Record<Party, Both> = {
  customer: { en: 'the customer', zh: '客户' },
  vendor: { en: 'the seller', zh: '销售方' },
  dealer: { en: 'the dealer', zh: '经销商' },
  manufacturer: { en: 'the manufacturer', zh: '制造商' },
}

export const HANDLER_WORDS: Record<Handler, Both> = {
  vendor: PARTY_WORDS.vendor,
  dealer: PARTY_WORDS.dealer,
  manufacturer: PARTY_WORDS.manufacturer,
}

export const PART_WORDS: Record<PartKind, Both> = {
  host: { en: 'the main unit', zh: '主机' },
  'main-accessory': { en: 'a main accessory', zh: '主要配件' },
  accessory: { en: 'an accessory', zh: '配件' },
  consumable: { en: 'a cable, packaging or manual', zh: '线材、包装或说明书' },
}

export const PROBLEM_WORDS: Record<ProblemKind, Both> = {
  malfunction: { en: 'a fault', zh: '故障' },
  'arrived-damaged': { en: 'damage on arrival', zh: '到货损坏' },
  'not-as-described': { en: 'a product not as described', zh: '货不对板' },
  'software-upgrade': { en: 'a software upgrade', zh: '软件升级' },
}

/** Why a claim is covered, as the end of "… free of charge because …". */
export const BASIS_WORDS: Record<Exclude<Basis, 'none'>, Both> = {
  doa: { en: 'the unit was faulty on arrival', zh: '产品到货即有故障' },
  'early-failure': { en: 'the fault appeared soon after delivery', zh: '产品在收货后不久出现故障' },
  'transport-damage': { en: 'the unit was damaged in transport', zh: '产品在运输中受损' },
  'not-as-described': { en: 'the product does not match its description', zh: '产品与描述不符' },
  warranty: { en: 'the fault is covered by the warranty', zh: '故障在保修范围内' },
  'extended-warranty': { en: 'the fault is covered by the extended warranty', zh: '故障在延长保修范围内' },
}

export const EVENT_WORDS: Record<StartEvent, Both> = {
  purchase: { en: 'bought', zh: '购买于' },
  shipment: { en: 'shipped', zh: '发货于' },
  delivery: { en: 'delivered', zh: '签收于' },
  'day-after-delivery': { en: 'the day after delivery was', zh: '签收次日为' },
  activation: { en: 'activated', zh: '激活于' },
}

export const SERVICE_WORDS = {
  'mail-in': { en: 'Please send the unit in.', zh: '请将产品寄回。' },
  pickup: { en: 'The unit will be collected from you.', zh: '我们将上门取件。' },
  'on-site': { en: 'The service will be carried out on site.', zh: '将提供上门服务。' },
} as const

/** A list in running text: "a, b and c" / "a、b和c". */
export function listOf(items: readonly Both[]): Both {
  if (items.length === 0) return { en: '', zh: '' }
  if (items.length === 1) return items[0]!
  const en = `${items
    .slice(0, -1)
    .map((i) => i.en)
    .join(', ')} and ${items[items.length - 1]!.en}`
  const zh = `${items
    .slice(0, -1)
    .map((i) => i.zh)
    .join('、')}和${items[items.length - 1]!.zh}`
  return { en, zh }
}

/** "a or b" for alternatives. */
export function choiceOf(items: readonly Both[]): Both {
  if (items.length <= 1) return listOf(items)
  const en = `${items
    .slice(0, -1)
    .map((i) => i.en)
    .join(', ')} or ${items[items.length - 1]!.en}`
  const zh = `${items
    .slice(0, -1)
    .map((i) => i.zh)
    .join('、')}或${items[items.length - 1]!.zh}`
  return { en, zh }
}

/**
 * The demo catalogue: the five sellers whose policies ship, two dealers, one maker of an
 * agent brand, and their models. The Player One cooled-camera line, its specifications
 * and its accessory compatibility come from seed 004 (Professional Cooled Camera Manual
 * V1.3); the other products are illustrative.
 */
import { ORG } from './demo-org-ids.ts'
import { slugOf } from './domain/slug.ts'
import type { OrganisationKind, PartKindColumn } from './registry.tables.ts'

export { ORG }

export interface CatalogueOrganisation {
  id: string
  kind: OrganisationKind
  name: string
  country: string
  email: string
  phone?: string
  serviceAddress: { line1: string; city: string; postcode?: string; region?: string; country: string }
  defaultPolicyId?: string
  agentOrgId?: string
}

export interface CompatibilityFacts {
  filterWheels?: string[]
  filterDrawers?: string[]
  oags?: string[]
  recommendedFilterSize?: string
  note?: string
}

export interface CatalogueModel {
  id: string
  name: string
  brandOrgId: string
  brandRelation: 'own' | 'agent'
  category: string
  part: PartKindColumn
  warrantyTerm?: string
  description?: string
  /** The description in Chinese. */
  descriptionZh?: string
  specifications: Record<string, string>
  packageContents: string[]
  compatibility: CompatibilityFacts
}

export const DEMO_ORGANISATIONS: CatalogueOrganisation[] = [
  {
    id: ORG.touptek,
    kind: 'seller',
    name: 'ToupTek Astronomy',
    country: 'CN',
    email: 'service@touptekastro.example',
    serviceAddress: { line1: 'ToupTek service centre', city: 'Hangzhou', region: 'Zhejiang', country: 'CN' },
    defaultPolicyId: 'touptek',
  },
  {
    id: ORG.retailer,
    kind: 'seller',
    name: 'Northstar Online Store',
    country: 'HK',
    email: 'returns@northstar-store.example',
    serviceAddress: { line1: 'Returns warehouse, Unit 5', city: 'Kwai Chung', country: 'HK' },
    defaultPolicyId: 'retailer',
  },
  {
    id: ORG.shenzhen,
    kind: 'seller',
    name: 'Shenzhen Xingyun Distribution Co.',
    country: 'CN',
    email: 'service@xingyun-sz.example',
    phone: '+86 755 0000 0000',
    serviceAddress: { line1: 'Service department, Nanshan District', city: 'Shenzhen', country: 'CN' },
    defaultPolicyId: 'shenzhen-service',
  },
  {
    id: ORG.ist,
    kind: 'seller',
    name: 'Beijing IST Technology Development Co., Ltd.',
    country: 'CN',
    email: 'service@ist-tech.example',
    phone: '+86 185 1189 4545',
    serviceAddress: { line1: 'After-sales service, Haidian District', city: 'Beijing', country: 'CN' },
    defaultPolicyId: 'ist',
  },
  {
    id: ORG.playerOne,
    kind: 'seller',
    name: 'Player One Astronomy',
    country: 'CN',
    email: 'support@player-one-astronomy.com',
    serviceAddress: {
      line1: 'Player One after-sales team',
      city: 'Ningbo',
      region: 'Zhejiang',
      country: 'CN',
    },
    defaultPolicyId: 'player-one',
  },
  {
    id: ORG.starlight,
    kind: 'dealer',
    name: 'Starlight Optics',
    country: 'DE',
    email: 'service@starlight-optics.example',
    serviceAddress: { line1: 'Sternwartenstraße 12', city: 'München', postcode: '80331', country: 'DE' },
  },
  {
    id: ORG.prairie,
    kind: 'dealer',
    name: 'Prairie Sky Telescopes',
    country: 'US',
    email: 'rma@prairiesky.example',
    serviceAddress: {
      line1: '400 Observatory Rd',
      city: 'Lincoln',
      region: 'NE',
      postcode: '68508',
      country: 'US',
    },
  },
  {
    id: ORG.aurora,
    kind: 'maker',
    name: 'Aurora Precision Mounts',
    country: 'TW',
    email: 'service@aurora-mounts.example',
    serviceAddress: { line1: 'Service centre, Xitun District', city: 'Taichung', country: 'TW' },
    // Seed 002: the distributor serves agent products itself or passes them to the maker.
    defaultPolicyId: 'shenzhen-service',
    agentOrgId: ORG.shenzhen,
  },
]

const PHOENIX_LARGE = [
  'Phoenix Filter Wheel 7x36mm',
  'Phoenix Filter Wheel 7x2"',
  'Phoenix Filter Wheel 7x50mm',
  'Phoenix Filter Wheel 5x2"',
]
const LARGE_TRAIN: Omit<CompatibilityFacts, 'recommendedFilterSize'> = {
  filterWheels: PHOENIX_LARGE,
  filterDrawers: ['Filter Drawer MAX'],
  oags: ['OAG MAX'],
}
const CARBON_TRAIN: Omit<CompatibilityFacts, 'recommendedFilterSize'> = {
  filterWheels: ['Phoenix Filter Wheel 8x1.25"', ...PHOENIX_LARGE],
  filterDrawers: ['Filter Drawer MN'],
  oags: ['OAG MN', 'OAG MAX'],
  note: 'Carbon fibre cameras take the 7x36mm/7x2"/7x50mm/5x2" wheels from 2024; with those wheels use the OAG MAX, not the OAG MN.',
}

const COOLED_CAMERA_CONTENTS = [
  'Camera body',
  'USB 3.0 cable',
  'USB 2.0 cable for accessories',
  'Adapter set for 55 mm back focus',
  'Dust cap',
  'Quick start guide',
]

interface CameraRow {
  name: string
  sensor: string
  format: string
  resolution: string
  totalPixels: string
  pixelSize: string
  readNoise: string
  qe: string
  fullWell: string
  deltaT: string
  adc: string
  fps: string
  shutter: string
  weight: string
  bfl?: string
  train: Omit<CompatibilityFacts, 'recommendedFilterSize'>
  filterSize: string
}

// Seed 004, "Cooled Camera Specification" and "Accessory Compatible list".
const PLAYER_ONE_COOLED: CameraRow[] = [
  {
    name: 'Zeus 455M PRO',
    sensor: 'IMX455 mono',
    format: '36×24mm (full frame)',
    resolution: '9576×6388',
    totalPixels: '61MP',
    pixelSize: '3.76µm',
    readNoise: '4.2–1.27e',
    qe: '≈91%',
    fullWell: '71.6ke',
    deltaT: '-35°C±2°C',
    adc: '16bit',
    fps: '6.5FPS',
    shutter: 'Rolling',
    weight: '650g',
    bfl: '17.5mm',
    train: LARGE_TRAIN,
    filterSize: '2"/50mm',
  },
  {
    name: 'Zeus 455C PRO',
    sensor: 'IMX455 color',
    format: '36×24mm (full frame)',
    resolution: '9576×6388',
    totalPixels: '61MP',
    pixelSize: '3.76µm',
    readNoise: '4.2–1.27e',
    qe: '≈80%',
    fullWell: '71.6ke',
    deltaT: '-35°C±2°C',
    adc: '16bit',
    fps: '6.5FPS',
    shutter: 'Rolling',
    weight: '650g',
    train: LARGE_TRAIN,
    filterSize: '2"/50mm',
  },
  {
    name: 'Poseidon-M PRO',
    sensor: 'IMX571 mono',
    format: '23.5×15.7mm (APS-C)',
    resolution: '6252×4176',
    totalPixels: '26MP',
    pixelSize: '3.76µm',
    readNoise: '3.9–1.0e',
    qe: '≈91%',
    fullWell: '71.7ke',
    deltaT: '-40°C±2°C',
    adc: '16bit',
    fps: '15FPS',
    shutter: 'Rolling',
    weight: '650g',
    train: LARGE_TRAIN,
    filterSize: '36mm/2"',
  },
  {
    name: 'Poseidon-C PRO',
    sensor: 'IMX571 color',
    format: '23.5×15.7mm (APS-C)',
    resolution: '6252×4176',
    totalPixels: '26MP',
    pixelSize: '3.76µm',
    readNoise: '3.9–1.0e',
    qe: '≈80%',
    fullWell: '71.7ke',
    deltaT: '-40°C±2°C',
    adc: '16bit',
    fps: '15FPS',
    shutter: 'Rolling',
    weight: '650g',
    train: LARGE_TRAIN,
    filterSize: '36mm/2"',
  },
  {
    name: 'Artemis-M PRO',
    sensor: 'IMX492 mono',
    format: '19.2×13mm (4/3")',
    resolution: '8288×5648',
    totalPixels: '47MP',
    pixelSize: '2.3µm',
    readNoise: '7.7–1.46e',
    qe: '≈90%',
    fullWell: '18.6ke',
    deltaT: '-40°C±2°C',
    adc: '12bit',
    fps: '8FPS',
    shutter: 'Rolling',
    weight: '650g',
    train: LARGE_TRAIN,
    filterSize: '36mm',
  },
  {
    name: 'Artemis-C PRO',
    sensor: 'IMX294 color',
    format: '19.2×13mm (4/3")',
    resolution: '4144×2824',
    totalPixels: '11.7MP',
    pixelSize: '4.63µm',
    readNoise: '7.8–1.2e',
    qe: '≈75%',
    fullWell: '65.8ke',
    deltaT: '-40°C±2°C',
    adc: '14bit',
    fps: '33FPS',
    shutter: 'Rolling',
    weight: '650g',
    train: LARGE_TRAIN,
    filterSize: '36mm',
  },
  {
    name: 'Ares-M PRO',
    sensor: 'IMX533 mono',
    format: '11.31×11.31mm (1")',
    resolution: '3008×3008',
    totalPixels: '9MP',
    pixelSize: '3.76µm',
    readNoise: '4.46–1e',
    qe: '≈91%',
    fullWell: '73ke',
    deltaT: '-35°C to -40°C',
    adc: '14bit',
    fps: '43FPS',
    shutter: 'Rolling',
    weight: '420g',
    train: CARBON_TRAIN,
    filterSize: '1.25"',
  },
  {
    name: 'Ares-C PRO',
    sensor: 'IMX533 color',
    format: '11.31×11.31mm (1")',
    resolution: '3008×3008',
    totalPixels: '9MP',
    pixelSize: '3.76µm',
    readNoise: '4.46–1e',
    qe: '≈80%',
    fullWell: '73ke',
    deltaT: '-35°C to -40°C',
    adc: '14bit',
    fps: '43FPS',
    shutter: 'Rolling',
    weight: '420g',
    train: CARBON_TRAIN,
    filterSize: '1.25"',
  },
  {
    name: 'Uranus-M PRO',
    sensor: 'IMX585 mono',
    format: '11.2×6.3mm (1/1.2")',
    resolution: '3856×2180',
    totalPixels: '8.3MP',
    pixelSize: '2.9µm',
    readNoise: '6.5–0.7e',
    qe: '≈91%',
    fullWell: '47ke',
    deltaT: '-35°C to -40°C',
    adc: '12bit',
    fps: '47FPS',
    shutter: 'Rolling',
    weight: '420g',
    train: CARBON_TRAIN,
    filterSize: '1.25"',
  },
  {
    name: 'Uranus-C PRO',
    sensor: 'IMX585 color',
    format: '11.2×6.3mm (1/1.2")',
    resolution: '3856×2180',
    totalPixels: '8.3MP',
    pixelSize: '2.9µm',
    readNoise: '6.5–0.7e',
    qe: '≈91%',
    fullWell: '47ke',
    deltaT: '-35°C to -40°C',
    adc: '12bit',
    fps: '47FPS',
    shutter: 'Rolling',
    weight: '420g',
    train: CARBON_TRAIN,
    filterSize: '1.25"',
  },
  {
    name: 'Apollo-428M MAX PRO',
    sensor: 'IMX428 mono',
    format: '14.5×9.9mm (1.1")',
    resolution: '3216×2208',
    totalPixels: '7.1MP',
    pixelSize: '4.5µm',
    readNoise: '5.5–1.4e',
    qe: '≈79%',
    fullWell: '25.3ke',
    deltaT: '-35°C to -40°C',
    adc: '12bit',
    fps: '51FPS',
    shutter: 'Global',
    weight: '420g',
    train: CARBON_TRAIN,
    filterSize: '1.25"',
  },
  {
    name: 'Apollo-M MAX PRO',
    sensor: 'IMX432 mono',
    format: '14.5×9.9mm (1.1")',
    resolution: '1608×1104',
    totalPixels: '1.7MP',
    pixelSize: '9µm',
    readNoise: '22.9–2.6e',
    qe: '≈79%',
    fullWell: '100ke',
    deltaT: '-35°C to -40°C',
    adc: '12bit',
    fps: '126FPS',
    shutter: 'Global',
    weight: '420g',
    train: CARBON_TRAIN,
    filterSize: '1.25"',
  },
]

function playerOneCamera(row: CameraRow): CatalogueModel {
  const { name, train, filterSize, bfl, ...specs } = row
  return {
    id: `player-one-${slugOf(name)}`,
    name,
    brandOrgId: ORG.playerOne,
    brandRelation: 'own',
    category: 'camera',
    part: 'host',
    description: 'Player One cooled astronomy camera: 2-stage TEC cooling, DDR3 buffer, sensor tilt plate.',
    descriptionZh: 'Player One 制冷天文相机：两级半导体（TEC）制冷，DDR3 缓存，传感器调平板。',
    specifications: { ...specs, exposureRange: '32µs–2000s', ...(bfl ? { backFocalLength: bfl } : {}) },
    packageContents: COOLED_CAMERA_CONTENTS,
    // The 12 V supply is not in the box: it has different plugs per country (seed 004).
    compatibility: { ...train, recommendedFilterSize: filterSize },
  }
}

function accessory(
  brandOrgId: string,
  name: string,
  category: string,
  part: PartKindColumn,
  specifications: Record<string, string>,
  packageContents: string[],
): CatalogueModel {
  const prefix = brandOrgId === ORG.playerOne ? 'player-one' : brandOrgId.replace(/^org-/, '')
  return {
    id: `${prefix}-${slugOf(name)}`,
    name,
    brandOrgId,
    brandRelation: 'own',
    category,
    part,
    specifications,
    packageContents,
    compatibility: {},
  }
}

const PLAYER_ONE_ACCESSORIES: CatalogueModel[] = [
  ...['8x1.25"', '7x36mm', '7x2"', '7x50mm', '5x2"'].map((size) =>
    accessory(
      ORG.playerOne,
      `Phoenix Filter Wheel ${size}`,
      'filter-wheel',
      'main-accessory',
      { positions: size.split('x')[0] ?? '', filterSize: size.split('x')[1] ?? '' },
      ['Filter wheel', 'USB cable', 'Filter screws'],
    ),
  ),
  accessory(
    ORG.playerOne,
    'Filter Drawer MAX',
    'filter-drawer',
    'accessory',
    { filterSize: '2"/50mm/36mm' },
    ['Filter drawer', 'Drawer insert'],
  ),
  accessory(ORG.playerOne, 'Filter Drawer MN', 'filter-drawer', 'accessory', { filterSize: '1.25"' }, [
    'Filter drawer',
    'Drawer insert',
  ]),
  accessory(ORG.playerOne, 'OAG MAX', 'oag', 'accessory', {}, ['Off-axis guider', 'Guide camera adapter']),
  accessory(ORG.playerOne, 'OAG MN', 'oag', 'accessory', {}, ['Off-axis guider', 'Guide camera adapter']),
  accessory(
    ORG.playerOne,
    '12V 5A AC to DC Power Supply',
    'power-supply',
    'accessory',
    { output: '12V 5A' },
    ['Power supply', 'Mains cable'],
  ),
]

const TOUPTEK_MODELS: CatalogueModel[] = [
  accessory(
    ORG.touptek,
    'ATR2600C',
    'camera',
    'host',
    { sensor: 'IMX571 color', format: '23.5×15.7mm (APS-C)', cooling: '2-stage TEC' },
    ['Camera body', 'USB 3.0 cable', 'Adapter set', 'Quick start guide'],
  ),
  {
    ...accessory(ORG.touptek, 'AstroStation', 'astro-box', 'host', { role: 'observatory control box' }, [
      'AstroStation',
      'Power cable',
      'Wi-Fi antenna',
      'Quick start guide',
    ]),
    // Seed 000: the AstroStation warranty starts at activation, not at receipt.
    description: 'Astronomy control box; its warranty starts at activation.',
    descriptionZh: '天文控制盒；保修期自激活之日起计算。',
  },
  accessory(
    ORG.touptek,
    'EFW 7x36mm Filter Wheel',
    'filter-wheel',
    'main-accessory',
    { positions: '7', filterSize: '36mm' },
    ['Filter wheel', 'USB cable'],
  ),
]

const IST_MODELS: CatalogueModel[] = [
  accessory(ORG.ist, 'IST ObsPC Mini', 'mini-pc', 'host', { cpu: '4-core', storage: '256 GB' }, [
    'Mini PC',
    'Power adapter',
    'Warranty certificate',
  ]),
  accessory(ORG.ist, 'IST ObsPC Power Adapter', 'power-supply', 'main-accessory', { output: '19V 3.4A' }, [
    'Power adapter',
  ]),
  accessory(ORG.ist, 'IST USB-C Data Cable', 'cable', 'consumable', { length: '1 m' }, ['Cable']),
]

const SHENZHEN_MODELS: CatalogueModel[] = [
  accessory(ORG.shenzhen, 'Xingyun Dew Controller DC-4', 'dew-controller', 'host', { channels: '4' }, [
    'Controller',
    'Power cable',
  ]),
  {
    ...accessory(ORG.aurora, 'Aurora AM5 Harmonic Mount', 'mount', 'host', { payload: '13 kg' }, [
      'Mount head',
      'Hand controller',
      'Power cable',
    ]),
    brandRelation: 'agent',
  },
  {
    ...accessory(ORG.aurora, 'Aurora Tripod T2', 'tripod', 'main-accessory', { height: '1.2 m' }, ['Tripod']),
    brandRelation: 'agent',
    warrantyTerm: 'P3Y',
  },
]

export const DEMO_MODELS: CatalogueModel[] = [
  ...PLAYER_ONE_COOLED.map(playerOneCamera),
  ...PLAYER_ONE_ACCESSORIES,
  ...TOUPTEK_MODELS,
  ...IST_MODELS,
  ...SHENZHEN_MODELS,
]

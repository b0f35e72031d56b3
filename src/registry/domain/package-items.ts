/**
 * Standard package items in both languages. The catalogue stores each model's package in
 * the words it was imported with; the documents and e-mails a reader gets name each item in
 * the reader's language where this list knows it, and as stored otherwise. Pure.
 */
export const PACKAGE_ITEM_WORDS: Readonly<Record<string, { en: string; zh: string }>> = {
  'Camera body': { en: 'Camera body', zh: '相机机身' },
  'USB 3.0 cable': { en: 'USB 3.0 cable', zh: 'USB 3.0 数据线' },
  'USB 2.0 cable for accessories': { en: 'USB 2.0 cable for accessories', zh: '配件用 USB 2.0 数据线' },
  'Adapter set for 55 mm back focus': {
    en: 'Adapter set for 55 mm back focus',
    zh: '55 毫米后截距转接环套装',
  },
  'Adapter set': { en: 'Adapter set', zh: '转接环套装' },
  'Dust cap': { en: 'Dust cap', zh: '防尘盖' },
  'Quick start guide': { en: 'Quick start guide', zh: '快速入门指南' },
  Cable: { en: 'Cable', zh: '连接线' },
  'Filter wheel': { en: 'Filter wheel', zh: '滤镜轮' },
  'USB cable': { en: 'USB cable', zh: 'USB 数据线' },
  'Filter screws': { en: 'Filter screws', zh: '滤镜螺丝' },
  'Filter drawer': { en: 'Filter drawer', zh: '滤镜抽屉' },
  'Drawer insert': { en: 'Drawer insert', zh: '抽屉插件' },
  'Off-axis guider': { en: 'Off-axis guider', zh: '离轴导星器' },
  'Guide camera adapter': { en: 'Guide camera adapter', zh: '导星相机转接件' },
  'Power supply': { en: 'Power supply', zh: '电源' },
  'Mains cable': { en: 'Mains cable', zh: '电源线' },
  Tripod: { en: 'Tripod', zh: '三脚架' },
  'Power cable': { en: 'Power cable', zh: '电源线' },
  'Wi-Fi antenna': { en: 'Wi-Fi antenna', zh: '无线网络天线' },
  'Mini PC': { en: 'Mini PC', zh: '迷你电脑' },
  'Power adapter': { en: 'Power adapter', zh: '电源适配器' },
  'Warranty certificate': { en: 'Warranty certificate', zh: '保修卡' },
  Controller: { en: 'Controller', zh: '控制器' },
  'Mount head': { en: 'Mount head', zh: '赤道仪主机' },
  'Hand controller': { en: 'Hand controller', zh: '手控器' },
  'Printed repair order (customer name, return address, serial number, fault description)': {
    en: 'Printed repair order (customer name, return address, serial number, fault description)',
    zh: '打印的维修单（客户姓名、回寄地址、序列号、故障描述）',
  },
}

/** One package item in the reader's language, or as stored when the list does not know it. */
export function packageItemIn(language: 'en' | 'zh', item: string): string {
  return PACKAGE_ITEM_WORDS[item]?.[language] ?? item
}

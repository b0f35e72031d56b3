/** Ids of the demo organisations, apart from the catalogue so demo seeds can name them cheaply. */
export const ORG = {
  touptek: 'org-touptek',
  retailer: 'org-retailer',
  shenzhen: 'org-shenzhen-distributor',
  ist: 'org-beijing-ist',
  playerOne: 'org-player-one',
  starlight: 'org-starlight-optics',
  prairie: 'org-prairie-sky-telescopes',
  aurora: 'org-aurora-mounts',
} as const

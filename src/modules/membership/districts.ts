/** Shenzhen's districts (and the two special zones) a member firm can be registered in. */
export const DISTRICTS = {
  futian: { zh: '福田区', en: 'Futian' },
  luohu: { zh: '罗湖区', en: 'Luohu' },
  nanshan: { zh: '南山区', en: 'Nanshan' },
  yantian: { zh: '盐田区', en: 'Yantian' },
  baoan: { zh: '宝安区', en: "Bao'an" },
  longgang: { zh: '龙岗区', en: 'Longgang' },
  longhua: { zh: '龙华区', en: 'Longhua' },
  pingshan: { zh: '坪山区', en: 'Pingshan' },
  guangming: { zh: '光明区', en: 'Guangming' },
  dapeng: { zh: '大鹏新区', en: 'Dapeng New District' },
  qianhai: { zh: '前海深港合作区', en: 'Qianhai Shenzhen-Hong Kong Cooperation Zone' },
} as const;

export type District = keyof typeof DISTRICTS;
export const DISTRICT_KEYS = Object.keys(DISTRICTS) as District[];

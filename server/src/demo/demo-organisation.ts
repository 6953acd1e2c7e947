// The demo city's organisation: departments (city, district and street level), their territorial
// duties, and staff in every role of PRODUCT.md §1. Codes match the department rules of
// server/seed-data/case-standards-default.csv.

export interface DemoDepartment {
  code: string;
  name: string;
  kind: 'professional' | 'collaborative' | 'territorial' | 'office' | 'evaluator';
  territoryCode: string;
}

/** City-level departments: [code, name, kind]. */
export const CITY_DEPARTMENTS: [string, string, DemoDepartment['kind']][] = [
  ['CGW', '市城市管理委员会办公室（考评办）', 'office'],
  ['JDZX', '市数字城管监督指挥中心', 'office'],
  ['HWC', '市环境卫生管理处', 'professional'],
  ['SZC', '市市政设施管理处', 'professional'],
  ['YLJ', '市园林绿化局', 'professional'],
  ['LDS', '市路灯管理所', 'professional'],
  ['ZFZD', '市城市管理综合执法支队', 'professional'],
  ['JJZD', '市公安局交通警察支队', 'collaborative'],
  ['GAJ', '市公安局', 'collaborative'],
  ['XFJY', '市消防救援支队', 'collaborative'],
  ['ZJJ', '市住房和城乡建设局', 'collaborative'],
  ['ZRZY', '市自然资源和规划局', 'collaborative'],
  ['STHJ', '市生态环境局', 'collaborative'],
  ['SCJG', '市市场监督管理局', 'collaborative'],
  ['SWJ', '市水务局', 'collaborative'],
  ['MZJ', '市民政局（地名管理）', 'collaborative'],
  ['WLJ', '市文化广电和旅游局', 'collaborative'],
  ['RFB', '市人民防空办公室', 'collaborative'],
  ['YZJ', '市邮政管理局', 'collaborative'],
  ['GSGS', '市供水集团有限公司', 'collaborative'],
  ['PSGS', '市排水有限公司', 'collaborative'],
  ['RQGS', '市燃气集团有限公司', 'collaborative'],
  ['RLGS', '市热力有限公司', 'collaborative'],
  ['GDGS', '国网市供电公司', 'collaborative'],
  ['TXB', '市通信管线建设管理办公室', 'collaborative'],
  ['GJJT', '市公共交通集团有限公司', 'collaborative'],
  ['DSFCP', '城市管理第三方测评机构（受托）', 'evaluator'],
];

/** Each district or county has these, coded `<district code>-<suffix>`. */
export const DISTRICT_DEPARTMENTS: [string, (districtName: string) => string, DemoDepartment['kind']][] = [
  ['ZF', (d) => `${d}人民政府`, 'territorial'],
  ['CGJ', (d) => `${d}城市管理局`, 'professional'],
  ['ZFDD', (d) => `${d}城管执法大队`, 'professional'],
];

export function demoDepartments(city: { code: string }, districts: { code: string; name: string }[], streets: { code: string; name: string }[]): DemoDepartment[] {
  const out: DemoDepartment[] = CITY_DEPARTMENTS.map(([code, name, kind]) => ({ code, name, kind, territoryCode: city.code }));
  for (const d of districts) {
    for (const [suffix, name, kind] of DISTRICT_DEPARTMENTS) out.push({ code: `${d.code}-${suffix}`, name: name(d.name), kind, territoryCode: d.code });
  }
  for (const s of streets) {
    const name = s.name.endsWith('镇') ? `${s.name}人民政府` : s.name.endsWith('乡') ? `${s.name}人民政府` : `${s.name}办事处`;
    out.push({ code: `${s.code}-BSC`, name, kind: 'territorial', territoryCode: s.code });
  }
  return out;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强海燕文博子涵浩然雨欣思远嘉怡晨阳俊杰梓萱宇轩雅婷鹏飞晓东丹丹建华春梅秋菊冬梅振华立新卫东';

/** A fictional person's name; two-character given names about half the time. */
export function personName(random: () => number): string {
  const pick = (text: string) => text[Math.floor(random() * text.length)]!;
  return pick(SURNAMES) + pick(GIVEN) + (random() < 0.5 ? pick(GIVEN) : '');
}

/** Component classes placed in the demo inventory, with relative frequency and maintainer department. */
export const DEMO_COMPONENT_MIX: { classCode: string; weight: number; maintainer: string; perDistrictMaintainer?: string }[] = [
  { classCode: '01001', weight: 6, maintainer: 'GSGS' },
  { classCode: '01002', weight: 8, maintainer: 'PSGS' },
  { classCode: '01003', weight: 8, maintainer: 'PSGS' },
  { classCode: '01004', weight: 6, maintainer: 'PSGS' },
  { classCode: '01005', weight: 4, maintainer: 'GDGS' },
  { classCode: '01007', weight: 4, maintainer: 'TXB' },
  { classCode: '01011', weight: 3, maintainer: 'RQGS' },
  { classCode: '01037', weight: 10, maintainer: 'LDS' },
  { classCode: '01030', weight: 3, maintainer: 'GDGS' },
  { classCode: '01046', weight: 1, maintainer: 'YLJ' },
  { classCode: '02004', weight: 2, maintainer: 'GJJT' },
  { classCode: '02010', weight: 3, maintainer: 'JJZD' },
  { classCode: '02017', weight: 3, maintainer: 'JJZD' },
  { classCode: '03001', weight: 1, maintainer: 'HWC' },
  { classCode: '03005', weight: 8, maintainer: 'HWC' },
  { classCode: '04002', weight: 12, maintainer: 'YLJ' },
  { classCode: '04007', weight: 2, maintainer: 'YLJ' },
  { classCode: '04013', weight: 2, maintainer: 'YLJ' },
];

/** Share of inventoried components in each state at census time. */
export const DEMO_COMPONENT_STATES: [string, number][] = [['intact', 0.93], ['damaged', 0.05], ['lost', 0.01], ['abandoned', 0.01]];

// Checklist standards (考评标准) of the third-party inspections (第三方暗访): items grouped by area, each
// with a deduction per occurrence (每处扣分), a cap per unit and round (单项最高扣分), the evidence a
// finding needs, and the catalog class of the rectification case a finding opens. Versioned data the
// office edits; the default below follows the areas of PRODUCT.md §8 and the four requirements of
// 《城市市容市貌干净整洁有序安全标准》. Its deductions and caps are the product's starting values, not
// taken from a published scheme (none with per-item values was found, cn-standards §2.4): each city
// sets its own.
import type { FieldIssue } from '../errors.ts';

/** 干净 · 整洁 · 有序 · 安全 */
export const REQUIREMENTS = {
  clean: { zh: '干净', en: 'Clean' },
  tidy: { zh: '整洁', en: 'Tidy' },
  orderly: { zh: '有序', en: 'Orderly' },
  safe: { zh: '安全', en: 'Safe' },
} as const;
export type Requirement = keyof typeof REQUIREMENTS;

export const CHECKLIST_AREAS = {
  sanitation: { zh: '环境卫生', en: 'Sanitation', requirement: 'clean' },
  appearance: { zh: '市容市貌', en: 'Streetscape', requirement: 'tidy' },
  facilities: { zh: '市政设施', en: 'Municipal facilities', requirement: 'safe' },
  greenery: { zh: '园林绿化', en: 'Greenery', requirement: 'tidy' },
  street_order: { zh: '街面秩序', en: 'Street order', requirement: 'orderly' },
  other: { zh: '其他', en: 'Other', requirement: 'safe' },
} as const satisfies Record<string, { zh: string; en: string; requirement: Requirement }>;
export type ChecklistArea = keyof typeof CHECKLIST_AREAS;

export const EVIDENCE_KINDS = ['photo', 'gps'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface ChecklistItem {
  code: string;
  area: ChecklistArea;
  zh: string;
  en: string;
  /** Points deducted per occurrence (每处). */
  deduction: number;
  /** At most this many points per unit and round: also the item's points, against which a warning is judged. */
  cap: number;
  evidence: EvidenceKind[];
  /** Catalog class (GB/T 47678.5) of the rectification case a finding opens; null opens none. */
  classCode: string | null;
}

export interface ChecklistStandard {
  name: string;
  items: ChecklistItem[];
  note?: string;
}

const item = (code: string, area: ChecklistArea, zh: string, en: string, deduction: number, cap: number, classCode: string): ChecklistItem => ({
  code, area, zh, en, deduction, cap, evidence: ['photo', 'gps'], classCode,
});

export const DEFAULT_CHECKLIST: ChecklistStandard = {
  name: '城市管理第三方暗访考评标准(干净·整洁·有序·安全)',
  note: 'Deductions and caps are starting values of the product, to be set by each city.',
  items: [
    item('ENV01', 'sanitation', '暴露垃圾', 'Exposed garbage', 0.5, 5, '06010'),
    item('ENV02', 'sanitation', '积存垃圾渣土', 'Accumulated garbage or muck', 1, 5, '06011'),
    item('ENV03', 'sanitation', '道路不洁', 'Dirty road surface', 0.5, 5, '06012'),
    item('ENV04', 'sanitation', '垃圾站(箱)满溢', 'Overflowing bins or stations', 0.5, 3, '06042'),
    item('ENV05', 'sanitation', '乱倒乱排污水、废水', 'Waste water dumped', 1, 3, '06030'),
    item('APP01', 'appearance', '非法小广告', 'Illegal flyers', 0.2, 3, '07001'),
    item('APP02', 'appearance', '违规户外广告', 'Unlawful outdoor advertising', 0.5, 3, '07003'),
    item('APP03', 'appearance', '沿街晾挂', 'Laundry hung along the street', 0.2, 2, '06007'),
    item('APP04', 'appearance', '建筑物外立面污损', 'Soiled or damaged facades', 0.5, 3, '06004'),
    item('APP05', 'appearance', '乱堆杂物', 'Piled-up clutter', 0.5, 3, '06036'),
    item('FAC01', 'facilities', '井盖缺失破损', 'Missing or broken manhole covers', 2, 6, '01023'),
    item('FAC02', 'facilities', '道路破损', 'Damaged roads', 1, 4, '06013'),
    item('FAC03', 'facilities', '交通护栏破损', 'Damaged traffic barriers', 0.5, 2, '02017'),
    item('FAC04', 'facilities', '盲道缺损', 'Broken tactile paving', 0.5, 2, '06051'),
    item('GRN01', 'greenery', '绿地脏乱', 'Littered green space', 0.5, 3, '06017'),
    item('GRN02', 'greenery', '非法占绿毁绿', 'Green space occupied or destroyed', 1, 3, '06045'),
    item('GRN03', 'greenery', '绿化弃料', 'Greening waste left behind', 0.3, 2, '06018'),
    item('ORD01', 'street_order', '占道经营', 'Street vending on the roadway', 0.5, 4, '09006'),
    item('ORD02', 'street_order', '店外经营', 'Business outside the shop', 0.5, 4, '09005'),
    item('ORD03', 'street_order', '机动车乱停放', 'Cars parked at random', 0.3, 3, '09009'),
    item('ORD04', 'street_order', '非机动车乱停放', 'Bicycles parked at random', 0.2, 2, '09010'),
    item('ORD05', 'street_order', '露天烧烤', 'Open-air barbecue', 0.5, 2, '06029'),
    item('OTH01', 'other', '施工工地围挡问题', 'Construction hoarding defects', 0.5, 2, '08007'),
    item('OTH02', 'other', '工地扬尘', 'Construction dust', 1, 3, '08004'),
    item('OTH03', 'other', '占用消防通道', 'Fire lane blocked', 1, 3, '09012'),
  ],
};

const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** Every problem of a checklist standard, each naming its field; an empty list means it can be saved. */
export function validateChecklist(input: unknown, knownClassCodes?: ReadonlySet<string>): FieldIssue[] {
  const s = input as Partial<ChecklistStandard> | null;
  if (!s || typeof s !== 'object') return [{ field: 'standard', message: 'must be an object' }];
  const issues: FieldIssue[] = [];
  if (typeof s.name !== 'string' || !s.name.trim()) issues.push({ field: 'name', message: 'is required' });
  if (!Array.isArray(s.items) || s.items.length === 0) return [...issues, { field: 'items', message: 'needs at least one item' }];
  const codes = new Set<string>();
  s.items.forEach((it, i) => {
    const f = `items[${i}]`;
    if (typeof it?.code !== 'string' || !/^[A-Za-z0-9_-]{1,20}$/.test(it.code)) issues.push({ field: `${f}.code`, message: 'must be 1–20 letters, digits, - or _' });
    else if (codes.has(it.code)) issues.push({ field: `${f}.code`, message: `item ${it.code} appears twice` });
    else codes.add(it.code);
    if (!it?.area || !Object.hasOwn(CHECKLIST_AREAS, it.area)) issues.push({ field: `${f}.area`, message: `must be one of ${Object.keys(CHECKLIST_AREAS).join(', ')}` });
    if (typeof it?.zh !== 'string' || !it.zh.trim()) issues.push({ field: `${f}.zh`, message: 'is required' });
    if (typeof it?.en !== 'string' || !it.en.trim()) issues.push({ field: `${f}.en`, message: 'is required' });
    if (!positive(it?.deduction)) issues.push({ field: `${f}.deduction`, message: 'must be a number above 0' });
    if (!positive(it?.cap)) issues.push({ field: `${f}.cap`, message: 'must be a number above 0' });
    else if (positive(it?.deduction) && it.cap < it.deduction) issues.push({ field: `${f}.cap`, message: `must be at least one deduction (${it.deduction})` });
    if (!Array.isArray(it?.evidence) || it.evidence.some((e) => !(EVIDENCE_KINDS as readonly string[]).includes(e))) issues.push({ field: `${f}.evidence`, message: `must list evidence among ${EVIDENCE_KINDS.join(', ')}` });
    if (it?.classCode !== null && typeof it?.classCode !== 'string') issues.push({ field: `${f}.classCode`, message: 'must be a catalog class code or null' });
    else if (typeof it.classCode === 'string' && knownClassCodes && !knownClassCodes.has(it.classCode)) issues.push({ field: `${f}.classCode`, message: `no class ${it.classCode} in the catalog` });
  });
  return issues;
}

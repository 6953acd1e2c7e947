// Rules of the credit points (信用积分) of frontage shops (沿街商铺), sanitation contractors (环卫企业) and
// muck-transport companies (建筑垃圾/渣土运输企业): every subject starts the year at the base score; a
// violation (a case of a listed class at its frontage or contract area, or attributed to it by the office)
// and an inspection finding of a listed item deduct; good conduct adds, up to a cap per entry; the score
// falls in a credit level band (A/B/C/D by default). A versioned rule set the office edits; the values
// below are the product's starting values.
import type { FieldIssue } from '../errors.ts';
import { checkPoints, toTenths } from './engine.ts';

export const CREDIT_SUBJECT_KINDS = {
  frontage_shop: { zh: '沿街商铺', en: 'Frontage shop' },
  sanitation_contractor: { zh: '环卫企业', en: 'Sanitation contractor' },
  muck_transport: { zh: '建筑垃圾(渣土)运输企业', en: 'Muck-transport company' },
} as const;
export type CreditSubjectKind = keyof typeof CREDIT_SUBJECT_KINDS;
export const CREDIT_SUBJECT_KIND_NAMES = Object.keys(CREDIT_SUBJECT_KINDS) as CreditSubjectKind[];

export const CREDIT_EVENTS = {
  violation: { zh: '违规行为(案件)', en: 'Violation (case)' },
  finding: { zh: '暗访发现问题', en: 'Inspection finding' },
  good_conduct: { zh: '守信加分', en: 'Good conduct' },
  correction: { zh: '更正冲销', en: 'Correction (reversal)' },
} as const;
export type CreditEvent = keyof typeof CREDIT_EVENTS;

export interface CreditLevelBand {
  code: string;
  zh: string;
  /** The lowest score of the band (points); null for the last band, which takes everything below. */
  min: number | null;
}

export interface CreditRules {
  name: string;
  /** Every subject's score at the start of a year. */
  baseScore: number;
  /** Points (negative) of a case of the class, for the listed kinds of subject. */
  violations: { classCode: string; subjectKinds: CreditSubjectKind[]; points: number }[];
  /** Points (negative) of an inspection finding of the checklist item, for the listed kinds of subject. */
  findings: { itemCode: string; subjectKinds: CreditSubjectKind[]; points: number }[];
  goodConductMax: number;
  /** Best first. */
  levels: CreditLevelBand[];
  note?: string;
}

export const DEFAULT_CREDIT_RULES: CreditRules = {
  name: '信用积分规则',
  note: 'Starting values of the product, to be set by each city.',
  baseScore: 100,
  violations: [
    { classCode: '09005', subjectKinds: ['frontage_shop'], points: -5 },
    { classCode: '09006', subjectKinds: ['frontage_shop'], points: -5 },
    { classCode: '06036', subjectKinds: ['frontage_shop'], points: -3 },
    { classCode: '06029', subjectKinds: ['frontage_shop'], points: -3 },
    { classCode: '06007', subjectKinds: ['frontage_shop'], points: -2 },
    { classCode: '06010', subjectKinds: ['frontage_shop', 'sanitation_contractor'], points: -2 },
    { classCode: '06012', subjectKinds: ['sanitation_contractor'], points: -2 },
    { classCode: '06011', subjectKinds: ['sanitation_contractor'], points: -3 },
    { classCode: '06042', subjectKinds: ['sanitation_contractor'], points: -3 },
    { classCode: '06014', subjectKinds: ['muck_transport'], points: -10 },
    { classCode: '08011', subjectKinds: ['muck_transport'], points: -5 },
  ],
  findings: [
    { itemCode: 'ORD02', subjectKinds: ['frontage_shop'], points: -5 },
    { itemCode: 'ENV01', subjectKinds: ['frontage_shop', 'sanitation_contractor'], points: -2 },
    { itemCode: 'ENV03', subjectKinds: ['sanitation_contractor'], points: -2 },
  ],
  goodConductMax: 5,
  levels: [
    { code: 'A', zh: '守信', min: 90 },
    { code: 'B', zh: '基本守信', min: 75 },
    { code: 'C', zh: '失信', min: 60 },
    { code: 'D', zh: '严重失信', min: null },
  ],
};

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function checkKinds(value: unknown, field: string, issues: FieldIssue[]): void {
  if (!Array.isArray(value) || value.length === 0) issues.push({ field, message: `must list subject kinds among ${CREDIT_SUBJECT_KIND_NAMES.join(', ')}` });
  else value.forEach((k, i) => {
    if (!Object.hasOwn(CREDIT_SUBJECT_KINDS, k as string)) issues.push({ field: `${field}[${i}]`, message: `must be one of ${CREDIT_SUBJECT_KIND_NAMES.join(', ')}` });
  });
}

/** Every problem of a credit rule set, each naming its field. Known class and item codes are checked when given. */
export function validateCreditRules(input: unknown, known: { classCodes?: ReadonlySet<string>; itemCodes?: ReadonlySet<string> } = {}): FieldIssue[] {
  if (!isObject(input)) return [{ field: 'rules', message: 'must be an object' }];
  const r = input as Partial<CreditRules>;
  const issues: FieldIssue[] = [];
  if (typeof r.name !== 'string' || !r.name.trim()) issues.push({ field: 'name', message: 'is required' });
  checkPoints(r.baseScore, 'baseScore', 'positive', issues);
  checkPoints(r.goodConductMax, 'goodConductMax', 'positive', issues);
  const listOf = <T>(value: T[] | undefined, field: string, each: (row: T, f: string) => string | null) => {
    if (!Array.isArray(value)) { issues.push({ field, message: 'must be a list (may be empty)' }); return; }
    const seen = new Set<string>();
    value.forEach((row, i) => {
      const f = `${field}[${i}]`;
      if (!isObject(row)) { issues.push({ field: f, message: 'must be an object' }); return; }
      const code = each(row, f);
      checkKinds((row as { subjectKinds?: unknown }).subjectKinds, `${f}.subjectKinds`, issues);
      checkPoints((row as { points?: unknown }).points, `${f}.points`, 'negative', issues);
      if (code) for (const k of ((row as { subjectKinds?: unknown }).subjectKinds as string[] | undefined) ?? []) {
        if (seen.has(`${code}/${k}`)) issues.push({ field: `${f}.subjectKinds`, message: `${code} is already priced for ${k}` });
        seen.add(`${code}/${k}`);
      }
    });
  };
  listOf(r.violations, 'violations', (row, f) => {
    if (typeof row.classCode !== 'string' || !/^[0-9A-Za-z]{1,20}$/.test(row.classCode)) { issues.push({ field: `${f}.classCode`, message: 'must be a catalog class code' }); return null; }
    if (known.classCodes && !known.classCodes.has(row.classCode)) { issues.push({ field: `${f}.classCode`, message: `no class ${row.classCode} in the catalog` }); return null; }
    return row.classCode;
  });
  listOf(r.findings, 'findings', (row, f) => {
    if (typeof row.itemCode !== 'string' || !/^[A-Za-z0-9_-]{1,20}$/.test(row.itemCode)) { issues.push({ field: `${f}.itemCode`, message: 'must be a checklist item code' }); return null; }
    if (known.itemCodes && !known.itemCodes.has(row.itemCode)) { issues.push({ field: `${f}.itemCode`, message: `no item ${row.itemCode} in any checklist standard` }); return null; }
    return row.itemCode;
  });
  if (!Array.isArray(r.levels) || r.levels.length < 2) issues.push({ field: 'levels', message: 'needs at least two bands, best first' });
  else {
    let previous: number | null = null;
    const codes = new Set<string>();
    r.levels.forEach((band, i) => {
      const f = `levels[${i}]`;
      const last = i === r.levels!.length - 1;
      if (!isObject(band)) { issues.push({ field: f, message: 'must be an object' }); return; }
      if (typeof band.code !== 'string' || !/^[A-Z][A-Z+-]{0,3}$/.test(band.code)) issues.push({ field: `${f}.code`, message: 'must be 1–4 capital letters, + or - (A, B, AA …)' });
      else if (codes.has(band.code)) issues.push({ field: `${f}.code`, message: `band ${band.code} appears twice` });
      else codes.add(band.code);
      if (typeof band.zh !== 'string' || !band.zh.trim()) issues.push({ field: `${f}.zh`, message: 'is required' });
      if (last) {
        if (band.min !== null) issues.push({ field: `${f}.min`, message: 'must be null: the last band takes every score below the one before' });
        return;
      }
      const tenths = typeof band.min === 'number' ? toTenths(band.min) : null;
      if (tenths === null) { issues.push({ field: `${f}.min`, message: 'must be a number with at most one decimal (only the last band has none)' }); return; }
      if (previous !== null && tenths >= previous) issues.push({ field: `${f}.min`, message: `must be below the band before (${previous / 10})` });
      previous = tenths;
    });
  }
  return issues;
}

/** The bands with their minimums in tenths, as the engine's bandOf takes them. */
export function creditBandsInTenths(rules: CreditRules): { code: string; zh: string; min: number | null }[] {
  return rules.levels.map((b) => ({ code: b.code, zh: b.zh, min: b.min === null ? null : toTenths(b.min) }));
}

/** Points (tenths) of a case of the class for a kind of subject, or null when the rules do not price it. */
export function violationTenths(rules: CreditRules, classCode: string, kind: CreditSubjectKind): number | null {
  const rule = rules.violations.find((v) => v.classCode === classCode && v.subjectKinds.includes(kind));
  return rule ? toTenths(rule.points) : null;
}

export function findingTenths(rules: CreditRules, itemCode: string, kind: CreditSubjectKind): number | null {
  const rule = rules.findings.find((v) => v.itemCode === itemCode && v.subjectKinds.includes(kind));
  return rule ? toTenths(rule.points) : null;
}

import type { FieldIssue } from '../errors.ts';

/**
 * The territory tree (网格化) and its code rules, as data. A node's code extends its parent's code
 * (GB/T 2260 administrative code for districts; Beijing DB11/T 2157-2023 and GB/T 47678.3 15-digit
 * unit-grid code = 6 district + 3 street + 3 community + 3 sequence).
 */
export const TERRITORY_LEVELS = [
  { level: 'city', zh: '市', en: 'City', codeLength: 6, parent: null, extendsParentCode: false },
  { level: 'district', zh: '区县', en: 'District / county', codeLength: 6, parent: 'city', extendsParentCode: false },
  { level: 'street', zh: '街道/乡镇', en: 'Street / town', codeLength: 9, parent: 'district', extendsParentCode: true },
  { level: 'community', zh: '社区/村', en: 'Community / village', codeLength: 12, parent: 'street', extendsParentCode: true },
  { level: 'grid', zh: '单元网格', en: 'Unit grid', codeLength: 15, parent: 'community', extendsParentCode: true },
] as const;

export type TerritoryLevel = (typeof TERRITORY_LEVELS)[number]['level'];
export const LEVEL_NAMES: TerritoryLevel[] = TERRITORY_LEVELS.map((l) => l.level);

export const AREA_CLASSES = [
  { value: 1, zh: '一类区域', en: 'Class 1 (hardest to keep)' },
  { value: 2, zh: '二类区域', en: 'Class 2' },
  { value: 3, zh: '三类区域', en: 'Class 3' },
] as const;

export function levelRule(level: TerritoryLevel) {
  return TERRITORY_LEVELS.find((l) => l.level === level)!;
}

export function isTerritoryLevel(value: unknown): value is TerritoryLevel {
  return typeof value === 'string' && (LEVEL_NAMES as string[]).includes(value);
}

export function levelDepth(level: TerritoryLevel): number {
  return LEVEL_NAMES.indexOf(level);
}

/** Checks a node's code against its level and its parent; field names are those of an import row. */
export function territoryCodeIssues(
  node: { code: string; level: TerritoryLevel },
  parent: { code: string; level: TerritoryLevel } | null,
  row?: number,
): FieldIssue[] {
  const rule = levelRule(node.level);
  const at = (field: string, message: string): FieldIssue => (row === undefined ? { field, message } : { field, message, row });
  const issues: FieldIssue[] = [];
  if (!new RegExp(`^\\d{${rule.codeLength}}$`).test(node.code)) {
    issues.push(at('code', `a ${node.level} code has ${rule.codeLength} digits, got "${node.code}"`));
  }
  if (rule.parent === null) {
    if (parent) issues.push(at('parent_code', 'a city has no parent'));
    return issues;
  }
  if (!parent) {
    issues.push(at('parent_code', `a ${node.level} needs a parent ${rule.parent}`));
    return issues;
  }
  if (parent.level !== rule.parent) {
    issues.push(at('parent_code', `the parent of a ${node.level} must be a ${rule.parent}, "${parent.code}" is a ${parent.level}`));
  } else if (rule.extendsParentCode && !node.code.startsWith(parent.code)) {
    issues.push(at('code', `must start with its parent's code ${parent.code}`));
  }
  return issues;
}

/** Materialised path of codes, '/990100/990102/'; a subtree is every path with this prefix. */
export function childPath(parentPath: string | null, code: string): string {
  return `${parentPath ?? '/'}${code}/`;
}

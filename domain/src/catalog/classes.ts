import type { FieldIssue } from '../errors.ts';

/** GB/T 47678.5-2026 class codes: 2-digit major + 3-digit minor; a component id adds 6 admin digits before and 6 after. */
export const CLASS_KINDS = ['component', 'matter'] as const;
export type ClassKind = (typeof CLASS_KINDS)[number];

export const URGENCIES = {
  extra_urgent: { zh: '特急', en: 'Extra urgent' },
  urgent: { zh: '紧急', en: 'Urgent' },
  normal: { zh: '一般', en: 'Normal' },
} as const;
export type Urgency = keyof typeof URGENCIES;
export const URGENCY_BY_LABEL: Record<string, Urgency> = { 特急: 'extra_urgent', 紧急: 'urgent', 一般: 'normal', extra_urgent: 'extra_urgent', urgent: 'urgent', normal: 'normal' };

export const COMPONENT_STATES = {
  intact: { zh: '完好', en: 'Intact' },
  damaged: { zh: '破损', en: 'Damaged' },
  lost: { zh: '丢失', en: 'Lost' },
  abandoned: { zh: '废弃', en: 'Abandoned' },
  removed: { zh: '移除', en: 'Removed' },
} as const;
export type ComponentState = keyof typeof COMPONENT_STATES;
export const COMPONENT_STATE_BY_LABEL: Record<string, ComponentState> = Object.fromEntries(
  Object.entries(COMPONENT_STATES).flatMap(([k, v]) => [[k, k], [v.zh, k]]),
) as Record<string, ComponentState>;

export function classCodeIssues(input: { kind: string; majorCode: string; code: string; name: string }, row?: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (field: string, message: string) => issues.push(row === undefined ? { field, message } : { field, message, row });
  if (!(CLASS_KINDS as readonly string[]).includes(input.kind)) at('kind', `must be component or matter, got "${input.kind}"`);
  if (!/^\d{2}$/.test(input.majorCode)) at('major_code', `must be 2 digits, got "${input.majorCode}"`);
  if (!/^\d{5}$/.test(input.code)) at('code', `must be 5 digits (major + 3-digit minor), got "${input.code}"`);
  else if (/^\d{2}$/.test(input.majorCode) && !input.code.startsWith(input.majorCode)) at('code', `must start with its major code ${input.majorCode}`);
  if (!input.name || input.name.trim() === '') at('name', 'is required');
  else if (input.name.length > 60) at('name', 'must have at most 60 characters');
  return issues;
}

/** 17-digit component id (管理部件标识码): 6 admin + 2 major + 3 minor + 6 sequence. */
export function componentIdIssues(id: string, classCode: string | null, districtCode: string | null): string[] {
  if (!/^\d{17}$/.test(id)) return [`must be 17 digits (6 admin + 5 class + 6 sequence), got "${id}"`];
  const problems: string[] = [];
  if (classCode && id.slice(6, 11) !== classCode) problems.push(`digits 7–11 must be the class code ${classCode}`);
  if (districtCode && id.slice(0, 6) !== districtCode) problems.push(`digits 1–6 must be the district code ${districtCode}`);
  return problems;
}

/**
 * The default-department rule of a 立结案标准 row, as data: an ordered list of steps, the first that
 * resolves wins. Written in CSV as `maintainer|department:SZC` and stored as that text.
 *   maintainer               the maintainer (养护单位) of the component the case names
 *   department:<code>        a fixed department
 *   district_department:<s>  the department `<district code>-<s>` of the case's district (e.g. its 城管局)
 *   territorial:<level>      the territorial government responsible for the case's street or district
 */
export type DepartmentRuleStep =
  | { type: 'maintainer' }
  | { type: 'department'; code: string }
  | { type: 'district_department'; suffix: string }
  | { type: 'territorial'; level: 'street' | 'district' };

const STEP_PATTERNS: { pattern: RegExp; build: (m: RegExpMatchArray) => DepartmentRuleStep }[] = [
  { pattern: /^maintainer$/, build: () => ({ type: 'maintainer' }) },
  { pattern: /^department:([A-Za-z0-9_-]{1,40})$/, build: (m) => ({ type: 'department', code: m[1]! }) },
  { pattern: /^district_department:([A-Za-z0-9_]{1,20})$/, build: (m) => ({ type: 'district_department', suffix: m[1]! }) },
  { pattern: /^territorial:(street|district)$/, build: (m) => ({ type: 'territorial', level: m[1] as 'street' | 'district' }) },
];

export function parseDepartmentRule(text: string): { steps: DepartmentRuleStep[] } | { error: string } {
  const parts = text.split('|').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return { error: 'is empty; use e.g. maintainer|department:SZC' };
  const steps: DepartmentRuleStep[] = [];
  for (const part of parts) {
    const match = STEP_PATTERNS.map((s) => ({ s, m: part.match(s.pattern) })).find((x) => x.m);
    if (!match?.m) return { error: `"${part}" is not a rule step (maintainer, department:<code>, district_department:<suffix>, territorial:street|district)` };
    steps.push(match.s.build(match.m));
  }
  return { steps };
}

export function formatDepartmentRule(steps: DepartmentRuleStep[]): string {
  return steps.map((s) => {
    switch (s.type) {
      case 'maintainer': return 'maintainer';
      case 'department': return `department:${s.code}`;
      case 'district_department': return `district_department:${s.suffix}`;
      case 'territorial': return `territorial:${s.level}`;
    }
  }).join('|');
}

/** What a rule needs to know about a case to resolve; ids of departments, or null when unknown. */
export interface RuleContext {
  componentMaintainerId: number | null;
  departmentIdByCode: (code: string) => number | null;
  districtCode: string | null;
  territorialUnitId: (level: 'street' | 'district') => number | null;
}

export function resolveDepartment(steps: DepartmentRuleStep[], ctx: RuleContext): { departmentId: number; step: DepartmentRuleStep } | null {
  for (const step of steps) {
    let id: number | null = null;
    if (step.type === 'maintainer') id = ctx.componentMaintainerId;
    else if (step.type === 'department') id = ctx.departmentIdByCode(step.code);
    else if (step.type === 'district_department') id = ctx.districtCode ? ctx.departmentIdByCode(`${ctx.districtCode}-${step.suffix}`) : null;
    else id = ctx.territorialUnitId(step.level);
    if (id !== null) return { departmentId: id, step };
  }
  return null;
}

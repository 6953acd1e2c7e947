import type { Department } from '../api/users.ts';
import { useI18n } from '../i18n/index.tsx';

/**
 * A 立结案标准 department rule ('maintainer|department:SZC|district_department:CGJ|territorial:street')
 * as readable steps; the first step that resolves for a case wins.
 */
export function DepartmentRule({ rule, departments }: { rule: string | null; departments: readonly Department[] }) {
  const { t } = useI18n();
  const steps = (rule ?? '').split('|').map((s) => s.trim()).filter(Boolean);
  if (steps.length === 0) return <span className="muted">—</span>;

  const label = (step: string): string => {
    if (step === 'maintainer') return t('rule.maintainer');
    if (step === 'territorial:street') return t('rule.territorialStreet');
    if (step === 'territorial:district') return t('rule.territorialDistrict');
    const [type, arg = ''] = step.split(':', 2);
    if (type === 'department') return departments.find((d) => d.code === arg)?.name ?? arg;
    if (type === 'district_department') {
      // e.g. CGJ → '城市管理局', read off any district's department '<district>-CGJ' minus the district's name.
      const sample = departments.find((d) => d.code.endsWith(`-${arg}`) && d.territoryName && d.name.startsWith(d.territoryName));
      return t('rule.districtDepartment', { name: sample && sample.territoryName ? sample.name.slice(sample.territoryName.length) : arg });
    }
    return step;
  };

  return (
    <ol className="rule-steps" title={rule ?? ''}>
      {steps.map((step, i) => <li key={i}>{label(step)}</li>)}
    </ol>
  );
}

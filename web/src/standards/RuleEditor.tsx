import type { Department } from '../api/users.ts';
import { useI18n } from '../i18n/index.tsx';

type StepType = 'maintainer' | 'department' | 'district_department' | 'territorial' | 'raw';
interface Step { type: StepType; arg: string }

function parse(rule: string): Step[] {
  return rule.split('|').map((s) => s.trim()).filter(Boolean).map((text): Step => {
    if (text === 'maintainer') return { type: 'maintainer', arg: '' };
    const [type = '', arg = ''] = text.split(':', 2);
    if (type === 'department' || type === 'district_department' || type === 'territorial') return { type, arg };
    return { type: 'raw', arg: text };
  });
}

function format(steps: Step[]): string {
  return steps.map((s) => (s.type === 'maintainer' ? 'maintainer' : s.type === 'raw' ? s.arg : `${s.type}:${s.arg}`)).join('|');
}

/**
 * The department rule of a 立结案标准 row as ordered steps (the first that resolves for a case wins), edited
 * step by step; the text the server stores ('maintainer|department:SZC|territorial:street') shows below.
 */
export function RuleEditor({ value, onChange, departments }: { value: string; onChange: (rule: string) => void; departments: readonly Department[] }) {
  const { t } = useI18n();
  const steps = parse(value);
  const set = (next: Step[]) => onChange(format(next));
  const update = (i: number, step: Step) => set(steps.map((s, j) => (j === i ? step : s)));
  const move = (i: number, by: number) => {
    const next = [...steps];
    const [step] = next.splice(i, 1);
    next.splice(i + by, 0, step!);
    set(next);
  };
  // Fixed departments are the city's (no district prefix); district departments (6-digit district code) by their suffix.
  const fixed = departments.filter((d) => !d.code.includes('-'));
  const suffixes = [...new Set(departments.filter((d) => /^\d{6}-/.test(d.code)).map((d) => d.code.slice(d.code.indexOf('-') + 1)))].sort();
  const defaultArg: Record<StepType, string> = { maintainer: '', department: fixed[0]?.code ?? '', district_department: suffixes[0] ?? 'CGJ', territorial: 'street', raw: '' };

  return (
    <div className="rule-editor">
      <ol className="rule-steps">
        {steps.map((s, i) => (
          <li key={i} className="pause-row">
            <select aria-label={t('ruleEditor.stepType', { n: i + 1 })} value={s.type} onChange={(e) => update(i, { type: e.target.value as StepType, arg: defaultArg[e.target.value as StepType] })}>
              <option value="maintainer">{t('rule.maintainer')}</option>
              <option value="department">{t('ruleEditor.department')}</option>
              <option value="district_department">{t('ruleEditor.districtDepartment')}</option>
              <option value="territorial">{t('ruleEditor.territorial')}</option>
              {s.type === 'raw' && <option value="raw">{t('ruleEditor.raw')}</option>}
            </select>
            {s.type === 'department' && (
              <select aria-label={t('ruleEditor.department')} value={s.arg} onChange={(e) => update(i, { ...s, arg: e.target.value })}>
                {!fixed.some((d) => d.code === s.arg) && <option value={s.arg}>{s.arg}</option>}
                {fixed.map((d) => <option key={d.code} value={d.code}>{d.name} ({d.code})</option>)}
              </select>
            )}
            {s.type === 'district_department' && (
              <select aria-label={t('ruleEditor.districtDepartment')} value={s.arg} onChange={(e) => update(i, { ...s, arg: e.target.value })}>
                {!suffixes.includes(s.arg) && <option value={s.arg}>{s.arg}</option>}
                {suffixes.map((x) => <option key={x} value={x}>{suffixName(x, departments)} ({x})</option>)}
              </select>
            )}
            {s.type === 'territorial' && (
              <select aria-label={t('ruleEditor.territorial')} value={s.arg} onChange={(e) => update(i, { ...s, arg: e.target.value })}>
                <option value="street">{t('rule.territorialStreet')}</option>
                <option value="district">{t('rule.territorialDistrict')}</option>
              </select>
            )}
            {s.type === 'raw' && <input value={s.arg} onChange={(e) => update(i, { ...s, arg: e.target.value })} />}
            <button type="button" className="btn small" disabled={i === 0} title={t('ruleEditor.up')} onClick={() => move(i, -1)}>↑</button>
            <button type="button" className="btn small" disabled={i === steps.length - 1} title={t('ruleEditor.down')} onClick={() => move(i, 1)}>↓</button>
            <button type="button" className="btn small" title={t('common.remove')} onClick={() => set(steps.filter((_, j) => j !== i))}>✕</button>
          </li>
        ))}
      </ol>
      <div className="form-actions">
        <button type="button" className="btn small" onClick={() => set([...steps, { type: 'territorial', arg: 'street' }])}>{t('ruleEditor.add')}</button>
        <span className="mono muted small">{value || '—'}</span>
      </div>
    </div>
  );
}

/** e.g. CGJ → '城市管理局', read off a district's department '<district>-CGJ' minus the district's name. */
function suffixName(suffix: string, departments: readonly Department[]): string {
  const sample = departments.find((d) => d.code.endsWith(`-${suffix}`) && d.territoryName && d.name.startsWith(d.territoryName));
  return sample && sample.territoryName ? sample.name.slice(sample.territoryName.length) : suffix;
}

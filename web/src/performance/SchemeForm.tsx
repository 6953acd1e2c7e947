// A performance scheme by form: its name, the components (label, scoring kind, indicator or counted measure,
// weight, bands), the grades, the minimum scored weight and, for departments, the indicator the department report
// ranks on. The form edits the scheme object itself (the one the JSON view shows and the server receives); the
// server validates it and each input shows the issue of the path it edits (scheme.components[2].weight). The
// weights' own sum is checked by the server as `scheme.components`: shown under the weight column's total.
import type { ReactNode } from 'react';
import { indicatorsFor, measuresFor, SCORING_KINDS, type Definitions, type PerformanceSubject, type ScoringKind } from '../api/performance.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { FieldError, issuesAt } from '../evaluation/fields.tsx';
import { Field, listAt, objectAt, PointsInput, TextInput, withKey, type RuleObject } from '../points/rule-fields.tsx';
import { BandsEditor, GridBandsEditor } from './SchemeBands.tsx';

interface Props { scheme: RuleObject; onChange: (next: RuleObject) => void; error: unknown; disabled: boolean; subject: PerformanceSubject; defs: Definitions }

const OPEN_BAND = [{ upTo: null, score: 100 }];

/** A component turned to another scoring kind, keeping what still fits (the indicator, the measure, the bands). */
function withKind(c: RuleObject, kind: ScoringKind, subject: PerformanceSubject, defs: Definitions): RuleObject {
  const scoring = objectAt(c.scoring);
  if (kind === 'rate' || kind === 'inverse_rate') {
    const allowed = indicatorsFor(defs, subject);
    const indicator = allowed.find((i) => i.code === c.indicator) ?? allowed[0];
    return { ...c, code: indicator?.code ?? c.code, zh: indicator?.zh ?? c.zh, indicator: indicator?.code ?? null, scoring: { kind } };
  }
  const allowed = measuresFor(defs, subject);
  const measure = allowed.find((m) => m.code === scoring.measure) ?? allowed.find((m) => m.code === 'registered' || m.code === 'dispatched') ?? allowed[0];
  const base = { ...c, code: measure?.code ?? c.code, zh: measure?.zh ?? c.zh, indicator: null };
  return kind === 'count_bands'
    ? { ...base, scoring: { kind, measure: measure?.code ?? '', bands: Array.isArray(scoring.bands) ? scoring.bands : Object.values(objectAt(scoring.bandsByAreaClass))[0] ?? OPEN_BAND } }
    : { ...base, scoring: { kind, measure: measure?.code ?? '', bandsByAreaClass: scoring.bandsByAreaClass ?? { 1: Array.isArray(scoring.bands) ? scoring.bands : OPEN_BAND } } };
}

function Select({ label, value, field, error, disabled, onChange, children }: {
  label: string; value: unknown; field: string; error: unknown; disabled: boolean; onChange: (v: string) => void; children: ReactNode;
}) {
  const invalid = issuesAt(error, field).length > 0;
  return (
    <>
      <select aria-label={label} name={field} value={typeof value === 'string' ? value : ''} disabled={disabled} aria-invalid={invalid || undefined}
        onChange={(e) => onChange(e.target.value)} style={invalid ? { borderColor: 'var(--red)' } : undefined}>{children}</select>
      <FieldError error={error} field={field} />
    </>
  );
}

export function SchemeForm({ scheme, onChange, error, disabled, subject, defs }: Props) {
  const { t, lang } = useI18n();
  const components = listAt(scheme.components).map(objectAt);
  const grades = listAt(scheme.grades).map(objectAt);
  const setComponent = (i: number, next: RuleObject) => onChange({ ...scheme, components: components.map((c, j) => (j === i ? next : c)) });
  const setGrade = (i: number, key: string, value: unknown) => onChange({ ...scheme, grades: grades.map((g, j) => (j === i ? { ...g, [key]: value } : g)) });
  const indicators = indicatorsFor(defs, subject);
  const measures = measuresFor(defs, subject);
  const name = (x: { zh: string; en: string; code: string }) => `${lang === 'zh' ? x.zh : x.en} (${x.code})`;
  const total = components.reduce((a, c) => a + (typeof c.weight === 'number' ? c.weight : 0), 0);
  const kinds = SCORING_KINDS.filter((k) => k !== 'grid_bands' || subject === 'region');
  const addComponent = () => {
    const used = new Set(components.map((c) => c.code));
    const free = indicators.find((i) => !used.has(i.code)) ?? indicators[0];
    onChange({ ...scheme, components: [...components, { code: free?.code ?? '', zh: free?.zh ?? '', indicator: free?.code ?? null, weight: 0, scoring: { kind: 'rate' } }] });
  };
  const f = (i: number) => `scheme.components[${i}]`;
  return (
    <div className="perf-scheme-form">
      <div className="toolbar" style={{ alignItems: 'flex-start' }}>
        <Field label={t('perf.scheme.name')} grow>
          <TextInput label={t('perf.scheme.name')} value={scheme.name} field="scheme.name" error={error} disabled={disabled} onChange={(v) => onChange({ ...scheme, name: v })} />
        </Field>
      </div>
      <h3>{t('perf.scheme.components')}</h3>
      <div className="table-scroll">
        <table className="grid-table" aria-label={t('perf.scheme.components')}>
          <thead>
            <tr><th>{t('perf.scheme.col.label')}</th><th>{t('perf.scheme.col.kind')}</th><th>{t('perf.scheme.col.source')}</th><th>{t('perf.scheme.col.weight')}</th><th>{t('perf.scheme.col.bands')}</th><th /></tr>
          </thead>
          <tbody>
            {components.map((c, i) => {
              const scoring = objectAt(c.scoring);
              const kind = scoring.kind as ScoringKind;
              const rate = kind === 'rate' || kind === 'inverse_rate';
              const label = String(c.zh ?? c.code ?? i + 1);
              return (
                <tr key={i} data-component={i}>
                  <td style={{ minWidth: 140 }}>
                    <TextInput label={`${t('perf.scheme.col.label')} ${i + 1}`} value={c.zh} field={`${f(i)}.zh`} error={error} disabled={disabled} onChange={(v) => setComponent(i, { ...c, zh: v })} />
                    <FieldError error={error} field={`${f(i)}.code`} />
                  </td>
                  <td>
                    <Select label={`${label} ${t('perf.scheme.col.kind')}`} value={kind} field={`${f(i)}.scoring.kind`} error={error} disabled={disabled}
                      onChange={(v) => setComponent(i, withKind(c, v as ScoringKind, subject, defs))}>
                      {!SCORING_KINDS.includes(kind) && <option value={String(kind ?? '')}>{String(kind ?? '—')}</option>}
                      {kinds.map((k) => <option key={k} value={k}>{t(`perf.scheme.kind.${k}` as MessageKey)}</option>)}
                    </Select>
                  </td>
                  <td>
                    {rate ? (
                      <Select label={`${label} ${t('perf.scheme.indicator')}`} value={c.indicator} field={`${f(i)}.indicator`} error={error} disabled={disabled}
                        onChange={(v) => { const d = indicators.find((x) => x.code === v); setComponent(i, { ...c, indicator: v, code: v, zh: d?.zh ?? c.zh }); }}>
                        {!indicators.some((x) => x.code === c.indicator) && <option value={String(c.indicator ?? '')}>{String(c.indicator ?? '—')}</option>}
                        {indicators.map((x) => <option key={x.code} value={x.code}>{name(x)}</option>)}
                      </Select>
                    ) : (
                      <Select label={`${label} ${t('perf.scheme.measure')}`} value={scoring.measure} field={`${f(i)}.scoring.measure`} error={error} disabled={disabled}
                        onChange={(v) => { const d = measures.find((x) => x.code === v); setComponent(i, { ...c, code: v, zh: d?.zh ?? c.zh, scoring: { ...scoring, measure: v } }); }}>
                        {!measures.some((x) => x.code === scoring.measure) && <option value={String(scoring.measure ?? '')}>{String(scoring.measure ?? '—')}</option>}
                        {measures.map((x) => <option key={x.code} value={x.code}>{name(x)}</option>)}
                      </Select>
                    )}
                  </td>
                  <td>
                    <PointsInput label={`${label} ${t('perf.scheme.col.weight')}`} value={c.weight} field={`${f(i)}.weight`} error={error} disabled={disabled} width={60}
                      onChange={(v) => setComponent(i, { ...c, weight: v })} />
                  </td>
                  <td>
                    {kind === 'count_bands' && <BandsEditor bands={scoring.bands} field={`${f(i)}.scoring.bands`} error={error} disabled={disabled} label={`${label} ${t('perf.scheme.col.bands')}`}
                      onChange={(bands) => setComponent(i, { ...c, scoring: { ...scoring, bands } })} />}
                    {kind === 'grid_bands' && <GridBandsEditor byClass={scoring.bandsByAreaClass} field={`${f(i)}.scoring.bandsByAreaClass`} error={error} disabled={disabled} label={`${label} ${t('perf.scheme.col.bands')}`}
                      onChange={(byClass) => setComponent(i, { ...c, scoring: { ...scoring, bandsByAreaClass: byClass } })} />}
                    {rate && <span className="muted small">{t(kind === 'rate' ? 'perf.scheme.rateHint' : 'perf.scheme.inverseHint')}</span>}
                  </td>
                  <td>{!disabled && <button type="button" className="link-btn" aria-label={t('perf.scheme.removeOf', { name: label })} onClick={() => onChange({ ...scheme, components: components.filter((_, j) => j !== i) })}>{t('perf.scheme.remove')}</button>}</td>
                </tr>
              );
            })}
            <tr className="totals">
              <td colSpan={3}>{t('perf.scheme.weightTotal')}</td>
              <td>
                <span data-testid="weight-total" style={{ display: 'inline-block', width: 60, textAlign: 'right', fontWeight: 600, color: Math.abs(total - 100) > 1e-9 ? 'var(--red)' : undefined }}>{Number(total.toFixed(6))}</span>
                <FieldError error={error} field="scheme.components" />
              </td>
              <td colSpan={2} className="muted small">{t('perf.scheme.weightHint')}</td>
            </tr>
          </tbody>
        </table>
      </div>
      {!disabled && <button type="button" className="btn" onClick={addComponent}>{t('perf.scheme.addComponent')}</button>}

      <h3>{t('perf.scheme.grades')}</h3>
      <table className="grid-table" aria-label={t('perf.scheme.grades')} style={{ width: 'auto' }}>
        <thead><tr><th>{t('perf.scheme.grade')}</th><th>{t('perf.scheme.gradeMin')}</th><th /></tr></thead>
        <tbody>
          {grades.map((g, i) => (
            <tr key={i}>
              <td><TextInput label={`${t('perf.scheme.grade')} ${i + 1}`} value={g.grade} field={`scheme.grades[${i}].grade`} error={error} disabled={disabled} width={60} onChange={(v) => setGrade(i, 'grade', v)} /></td>
              <td><PointsInput label={`${t('perf.scheme.gradeMin')} ${String(g.grade ?? i + 1)}`} value={g.min} field={`scheme.grades[${i}].min`} error={error} disabled={disabled} width={60} onChange={(v) => setGrade(i, 'min', v)} /></td>
              <td>{!disabled && grades.length > 1 && <button type="button" className="link-btn" onClick={() => onChange({ ...scheme, grades: grades.filter((_, j) => j !== i) })}>{t('perf.scheme.remove')}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <FieldError error={error} field="scheme.grades" />
      {!disabled && <button type="button" className="btn" onClick={() => onChange({ ...scheme, grades: [...grades, { grade: '', min: 0 }] })}>{t('perf.scheme.addGrade')}</button>}

      <div className="toolbar" style={{ alignItems: 'flex-start', marginTop: 12 }}>
        <Field label={t('perf.scheme.minScoredWeight')}>
          <PointsInput label={t('perf.scheme.minScoredWeight')} value={scheme.minScoredWeight} field="scheme.minScoredWeight" error={error} disabled={disabled} placeholder="50"
            onChange={(v) => onChange(withKey(scheme, 'minScoredWeight', v ?? undefined))} />
          <span className="muted small">{t('perf.scheme.minScoredWeightHint')}</span>
        </Field>
        {subject === 'department' && (
          <Field label={t('perf.scheme.reportRanking')}>
            <Select label={t('perf.scheme.reportRanking')} value={objectAt(scheme.reportRanking).indicator ?? 'on_time_handling_rate'} field="scheme.reportRanking.indicator" error={error} disabled={disabled}
              onChange={(v) => onChange({ ...scheme, reportRanking: { indicator: v } })}>
              {indicators.map((x) => <option key={x.code} value={x.code}>{name(x)}</option>)}
            </Select>
            <FieldError error={error} field="scheme.reportRanking" />
            <span className="muted small">{t('perf.scheme.reportRankingHint')}</span>
          </Field>
        )}
      </div>
    </div>
  );
}

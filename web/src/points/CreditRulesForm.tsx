import type { CreditKind } from '../api/points.ts';
import { listClasses } from '../api/catalog.ts';
import { getChecklist, listChecklists } from '../api/evaluation.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { FieldError } from '../evaluation/fields.tsx';
import { CREDIT_KINDS } from './parts.tsx';
import { Field, IssuesUnder, PointsInput, TextInput, listAt, objectAt, swap, withKey, type RuleObject } from './rule-fields.tsx';

const P = 'rules';
type Priced = 'violations' | 'findings';
/** What prices a row of each list: a catalog class (案件小类) or a checklist item (检查项目). */
const CODE_KEY: Record<Priced, 'classCode' | 'itemCode'> = { violations: 'classCode', findings: 'itemCode' };

/**
 * 信用积分 rules by form (domain/src/points/credit-rules.ts): the base score and good-conduct cap, the deductions of
 * violations by case class and of findings by checklist item (each for the kinds of subject it applies to), and the
 * credit level bands, best first. The codes offered come from the catalog and the checklist standards; the server
 * checks them.
 */
export function CreditRulesForm({ rules, onChange, error, disabled }: { rules: RuleObject; onChange: (next: RuleObject) => void; error: unknown; disabled: boolean }) {
  const { t } = useI18n();
  const hints = useCodeHints();
  const set = (key: string, value: unknown) => onChange(withKey(rules, key, value));
  return (
    <div className="pts-rules-form">
      <div className="field-row">
        <Field grow label={t('pts.rules.name')}><TextInput label={t('pts.rules.name')} value={rules.name} onChange={(v) => set('name', v)} field={`${P}.name`} error={error} disabled={disabled} /></Field>
        <Field grow label={t('pts.rules.note')}><TextInput label={t('pts.rules.note')} value={rules.note} onChange={(v) => set('note', v.trim() ? v : undefined)} field={`${P}.note`} error={error} disabled={disabled} /></Field>
      </div>
      <div className="field-row" style={{ marginTop: 8 }}>
        <Field label={t('credit.rules.baseScore')}>
          <PointsInput label={t('credit.rules.baseScore')} value={rules.baseScore} onChange={(v) => set('baseScore', v)} field={`${P}.baseScore`} error={error} disabled={disabled} />
        </Field>
        <Field label={t('credit.rules.goodConductMax')}>
          <PointsInput label={t('credit.rules.goodConductMax')} value={rules.goodConductMax} onChange={(v) => set('goodConductMax', v)} field={`${P}.goodConductMax`} error={error} disabled={disabled} />
        </Field>
      </div>
      <PricedList list="violations" rows={listAt(rules.violations)} onChange={(rows) => set('violations', rows)} names={hints.classes} error={error} disabled={disabled} />
      <PricedList list="findings" rows={listAt(rules.findings)} onChange={(rows) => set('findings', rows)} names={hints.items} error={error} disabled={disabled} />
      <LevelBands rows={listAt(rules.levels)} onChange={(rows) => set('levels', rows)} error={error} disabled={disabled} />
      <datalist id="credit-rule-classes">{[...hints.classes].map(([code, name]) => <option key={code} value={code}>{name}</option>)}</datalist>
      <datalist id="credit-rule-items">{[...hints.items].map(([code, name]) => <option key={code} value={code}>{name}</option>)}</datalist>
    </div>
  );
}

/** A list of deductions, each priced by a code for some kinds of subject: one row each, added and removed. */
function PricedList({ list, rows, onChange, names, error, disabled }: {
  list: Priced; rows: unknown[]; onChange: (rows: unknown[]) => void; names: ReadonlyMap<string, string>; error: unknown; disabled: boolean;
}) {
  const { t } = useI18n();
  const codeKey = CODE_KEY[list];
  const codeLabel = t(`credit.rules.${codeKey}`);
  const setRow = (i: number, key: string, value: unknown) => onChange(rows.map((r, k) => (k === i ? withKey(objectAt(r), key, value) : r)));
  return (
    <section aria-label={t(`credit.rules.${list}`)}>
      <h3>{t(`credit.rules.${list}`)}</h3>
      <table className="grid-table compact" aria-label={t(`credit.rules.${list}`)}>
        <thead><tr><th style={{ width: 40 }}>#</th><th style={{ width: 260 }}>{codeLabel}</th><th>{t('credit.rules.subjectKinds')}</th><th className="num" style={{ width: 100 }}>{t('credit.rules.points')}</th><th style={{ width: 70 }} /></tr></thead>
        <tbody>
          {rows.length === 0 && <tr><td colSpan={5} className="muted">{t('credit.rules.none')}</td></tr>}
          {rows.map((raw, i) => {
            const row = objectAt(raw);
            const f = `${P}.${list}[${i}]`;
            const code = typeof row[codeKey] === 'string' ? (row[codeKey] as string) : '';
            const rowName = code || `#${i + 1}`;
            return (
              <tr key={i} data-row={i}>
                <td className="num">{i + 1}<FieldError error={error} field={f} /></td>
                <td>
                  <TextInput label={`${rowName} ${codeLabel}`} value={row[codeKey]} onChange={(v) => setRow(i, codeKey, v.trim())} field={`${f}.${codeKey}`} error={error} disabled={disabled}
                    list={list === 'violations' ? 'credit-rule-classes' : 'credit-rule-items'} width={100} />
                  {names.has(code) && <span className="muted small" style={{ marginLeft: 6 }}>{names.get(code)}</span>}
                </td>
                <td>
                  <SubjectKinds value={listAt(row.subjectKinds).map(String)} onChange={(kinds) => setRow(i, 'subjectKinds', kinds)} rowName={rowName} disabled={disabled} />
                  <IssuesUnder error={error} field={`${f}.subjectKinds`} />
                </td>
                <td className="num">
                  <PointsInput label={`${rowName} ${t('credit.rules.points')}`} value={row.points} onChange={(v) => setRow(i, 'points', v)} field={`${f}.points`} error={error} disabled={disabled} />
                </td>
                <td><button type="button" className="btn" disabled={disabled} aria-label={`${t('common.remove')} ${rowName}`} onClick={() => onChange(rows.filter((_, k) => k !== i))}>{t('common.remove')}</button></td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <FieldError error={error} field={`${P}.${list}`} />
      <button type="button" className="btn" style={{ marginTop: 4 }} disabled={disabled}
        onClick={() => onChange([...rows, { [codeKey]: '', subjectKinds: [], points: null }])}>{t(`credit.rules.add.${list}`)}</button>
    </section>
  );
}

/** The kinds of subject a row applies to, as checkboxes; a kind the form does not know (from the JSON view) stays listed so it can be unticked. */
function SubjectKinds({ value, onChange, rowName, disabled }: { value: string[]; onChange: (kinds: string[]) => void; rowName: string; disabled: boolean }) {
  const { t } = useI18n();
  const options: string[] = [...CREDIT_KINDS, ...value.filter((k) => !(CREDIT_KINDS as string[]).includes(k))];
  const name = (k: string) => ((CREDIT_KINDS as string[]).includes(k) ? t(`credit.kind.${k as CreditKind}`) : k);
  return (
    <span role="group" aria-label={`${rowName} ${t('credit.rules.subjectKinds')}`} style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 10 }}>
      {options.map((k) => (
        <label key={k} className="inline-field" style={{ whiteSpace: 'nowrap', gap: 4 }}>
          <input type="checkbox" disabled={disabled} checked={value.includes(k)} style={{ height: 'auto' }}
            onChange={(e) => onChange(options.filter((o) => (o === k ? e.target.checked : value.includes(o))))} /><span>{name(k)}</span>
        </label>
      ))}
    </span>
  );
}

/** The credit level bands, best first; every band but the last has the lowest score it takes, the last takes the rest (min null). */
function LevelBands({ rows, onChange, error, disabled }: { rows: unknown[]; onChange: (rows: unknown[]) => void; error: unknown; disabled: boolean }) {
  const { t } = useI18n();
  const setRow = (i: number, key: string, value: unknown) => onChange(rows.map((r, k) => (k === i ? withKey(objectAt(r), key, value) : r)));
  return (
    <section aria-label={t('credit.rules.levels')}>
      <h3>{t('credit.rules.levels')}</h3>
      <p className="muted small">{t('credit.rules.levels.hint')}</p>
      <table className="grid-table compact" aria-label={t('credit.rules.levels')} style={{ width: 'auto' }}>
        <thead><tr><th>{t('credit.rules.level.code')}</th><th>{t('credit.rules.level.zh')}</th><th className="num">{t('credit.rules.level.min')}</th><th /></tr></thead>
        <tbody>
          {rows.map((raw, i) => {
            const band = objectAt(raw);
            const f = `${P}.levels[${i}]`;
            const rowName = typeof band.code === 'string' && band.code ? band.code : `#${i + 1}`;
            const last = i === rows.length - 1;
            return (
              <tr key={i} data-band={i}>
                <td><TextInput label={`${rowName} ${t('credit.rules.level.code')}`} value={band.code} onChange={(v) => setRow(i, 'code', v.trim())} field={`${f}.code`} error={error} disabled={disabled} width={70} /><FieldError error={error} field={f} /></td>
                <td><TextInput label={`${rowName} ${t('credit.rules.level.zh')}`} value={band.zh} onChange={(v) => setRow(i, 'zh', v)} field={`${f}.zh`} error={error} disabled={disabled} width={140} /></td>
                <td className="num">
                  <PointsInput label={`${rowName} ${t('credit.rules.level.min')}`} value={band.min} onChange={(v) => setRow(i, 'min', v)} field={`${f}.min`} error={error} disabled={disabled}
                    placeholder={last ? t('credit.rules.level.rest') : undefined} width={100} />
                </td>
                <td style={{ whiteSpace: 'nowrap' }}>
                  <button type="button" className="btn" disabled={disabled || i === 0} aria-label={`${t('pts.rules.moveUp')} ${rowName}`} onClick={() => onChange(swap(rows, i, i - 1))}>↑</button>{' '}
                  <button type="button" className="btn" disabled={disabled || last} aria-label={`${t('pts.rules.moveDown')} ${rowName}`} onClick={() => onChange(swap(rows, i, i + 1))}>↓</button>{' '}
                  <button type="button" className="btn" disabled={disabled} aria-label={`${t('common.remove')} ${rowName}`} onClick={() => onChange(rows.filter((_, k) => k !== i))}>{t('common.remove')}</button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <FieldError error={error} field={`${P}.levels`} />
      <button type="button" className="btn" style={{ marginTop: 4 }} disabled={disabled} onClick={() => onChange([...rows, { code: '', zh: '', min: null }])}>{t('credit.rules.add.level')}</button>
    </section>
  );
}

/**
 * The names of the codes a rule may price, to offer and to show beside a code: the catalog's classes and the checklist
 * standards' items. Only a help: a reader who may not list them sees codes alone, and the server checks every code.
 */
function useCodeHints(): { classes: ReadonlyMap<string, string>; items: ReadonlyMap<string, string> } {
  const { lang } = useI18n();
  const classes = useApi(async (signal) => new Map((await listClasses({ limit: 1000, offset: 0 }, signal)).items.map((c) => [c.code, c.name] as const)), []);
  const items = useApi(async (signal) => {
    const standards = (await listChecklists(signal)).items;
    const found = new Map<string, { zh: string; en: string }>();
    for (const s of await Promise.all(standards.map((c) => getChecklist(c.code, undefined, signal)))) {
      for (const item of s.definition.items) if (!found.has(item.code)) found.set(item.code, { zh: item.zh, en: item.en });
    }
    return found;
  }, []);
  return {
    classes: classes.data ?? new Map(),
    items: new Map([...(items.data ?? new Map<string, { zh: string; en: string }>())].map(([code, name]) => [code, lang === 'zh' ? name.zh : name.en])),
  };
}

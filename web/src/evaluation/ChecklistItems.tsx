import { CHECKLIST_AREAS, EVIDENCE_KINDS, type ChecklistArea } from '../api/evaluation.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { CellInput, FieldError, replaceAt } from './fields.tsx';

/** An item as edited: numbers kept as typed until the save. */
export interface DraftItem {
  code: string;
  area: ChecklistArea;
  zh: string;
  en: string;
  deduction: string;
  cap: string;
  evidence: string[];
  classCode: string;
}

const AREA_LABEL: Record<ChecklistArea, MessageKey> = {
  sanitation: 'checklist.area.sanitation', appearance: 'checklist.area.appearance', facilities: 'checklist.area.facilities',
  greenery: 'checklist.area.greenery', street_order: 'checklist.area.street_order', other: 'checklist.area.other',
};
export const areaLabel = (area: string): MessageKey => AREA_LABEL[area as ChecklistArea] ?? 'checklist.area.other';

/**
 * The items of a checklist grouped by area (环境卫生, 市容市貌 …), each row editable; the server's issues
 * are shown at the field of the item's place in the list it was sent (`standard.items[3].cap`).
 */
export function ChecklistItems({ items, onChange, error, classNames }: {
  items: DraftItem[];
  onChange: (items: DraftItem[]) => void;
  error: unknown;
  classNames: Map<string, string>;
}) {
  const { t } = useI18n();
  const set = (index: number, patch: Partial<DraftItem>) => onChange(replaceAt(items, index, { ...items[index]!, ...patch }));
  const add = (area: ChecklistArea) => onChange([...items, { code: '', area, zh: '', en: '', deduction: '', cap: '', evidence: ['photo', 'gps'], classCode: '' }]);
  const remove = (index: number) => onChange(items.filter((_, i) => i !== index));
  const areas = [...CHECKLIST_AREAS, ...new Set(items.map((i) => i.area).filter((a) => !CHECKLIST_AREAS.includes(a)))];
  return (
    <>
      <FieldError error={error} field="standard.items" />
      <datalist id="checklist-classes">{[...classNames].map(([code, name]) => <option key={code} value={code}>{name}</option>)}</datalist>
      {areas.map((area) => {
        const rows = items.map((item, index) => ({ item, index })).filter((r) => r.item.area === area);
        return (
          <section key={area} aria-label={t(areaLabel(area))}>
            <h2 className="section-title">{t(areaLabel(area))} <span className="muted">({rows.length})</span></h2>
            <table className="grid-table compact">
              <thead><tr>
                <th style={{ width: 90 }}>{t('checklist.code')}</th><th>{t('checklist.zh')}</th><th>{t('checklist.en')}</th><th style={{ width: 110 }}>{t('checklist.areaColumn')}</th>
                <th className="num" style={{ width: 90 }}>{t('checklist.deduction')}</th><th className="num" style={{ width: 100 }}>{t('checklist.cap')}</th>
                <th style={{ width: 120 }}>{t('checklist.evidence')}</th><th style={{ width: 190 }}>{t('checklist.classCode')}</th><th style={{ width: 60 }} />
              </tr></thead>
              <tbody>
                {rows.map(({ item, index }) => {
                  const name = item.code || t('checklist.newItem');
                  const f = `standard.items[${index}]`;
                  return (
                    <tr key={index}>
                      <td><CellInput label={`${name} ${t('checklist.code')}`} value={item.code} onChange={(v) => set(index, { code: v })} field={`${f}.code`} error={error} /></td>
                      <td><CellInput label={`${name} ${t('checklist.zh')}`} value={item.zh} onChange={(v) => set(index, { zh: v })} field={`${f}.zh`} error={error} /></td>
                      <td><CellInput label={`${name} ${t('checklist.en')}`} value={item.en} onChange={(v) => set(index, { en: v })} field={`${f}.en`} error={error} /></td>
                      <td>
                        <select aria-label={`${name} ${t('checklist.areaColumn')}`} value={item.area} onChange={(e) => set(index, { area: e.target.value as ChecklistArea })}>
                          {CHECKLIST_AREAS.map((a) => <option key={a} value={a}>{t(areaLabel(a))}</option>)}
                        </select>
                        <FieldError error={error} field={`${f}.area`} />
                      </td>
                      <td className="num"><CellInput numeric label={`${name} ${t('checklist.deduction')}`} value={item.deduction} onChange={(v) => set(index, { deduction: v })} field={`${f}.deduction`} error={error} /></td>
                      <td className="num"><CellInput numeric label={`${name} ${t('checklist.cap')}`} value={item.cap} onChange={(v) => set(index, { cap: v })} field={`${f}.cap`} error={error} /></td>
                      <td>
                        {EVIDENCE_KINDS.map((kind) => (
                          <label key={kind} style={{ marginRight: 8, whiteSpace: 'nowrap' }}>
                            <input type="checkbox" aria-label={`${name} ${t(`checklist.evidence.${kind}`)}`} checked={item.evidence.includes(kind)}
                              onChange={(e) => set(index, { evidence: e.target.checked ? [...item.evidence, kind] : item.evidence.filter((x) => x !== kind) })} />
                            {t(`checklist.evidence.${kind}`)}
                          </label>
                        ))}
                        <FieldError error={error} field={`${f}.evidence`} />
                      </td>
                      <td>
                        <CellInput label={`${name} ${t('checklist.classCode')}`} value={item.classCode} onChange={(v) => set(index, { classCode: v })} field={`${f}.classCode`} error={error} list="checklist-classes" placeholder={t('checklist.noCase')} />
                        {item.classCode && <div className="muted" style={{ fontSize: 12 }}>{classNames.get(item.classCode.trim()) ?? ''}</div>}
                      </td>
                      <td><button type="button" className="btn" aria-label={`${t('common.remove')} ${name}`} onClick={() => remove(index)}>{t('common.remove')}</button></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <button type="button" className="btn" style={{ marginTop: 4 }} onClick={() => add(area)}>{t('checklist.addItem', { area: t(areaLabel(area)) })}</button>
          </section>
        );
      })}
    </>
  );
}

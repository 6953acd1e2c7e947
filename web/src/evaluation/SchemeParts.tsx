import { COMPONENT_KINDS, type ComponentKind } from '../api/evaluation.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { CellInput, FieldError, replaceAt } from './fields.tsx';
import { weightTotal, type DraftAdjustment, type DraftComponent, type DraftHandicap } from './schemeDraft.ts';

export const KIND_LABEL: Record<ComponentKind, MessageKey> = {
  inspection: 'scheme.kind.inspection', case_performance: 'scheme.kind.case_performance', indicator: 'scheme.kind.indicator', entered: 'scheme.kind.entered',
};

/** 考评组成与权重: the components, their kinds and weights, the total shown as it is typed. */
export function ComponentsEditor({ components, onChange, error, indicators }: {
  components: DraftComponent[]; onChange: (c: DraftComponent[]) => void; error: unknown; indicators: { code: string; zh: string; en: string }[];
}) {
  const { t, lang } = useI18n();
  const set = (i: number, patch: Partial<DraftComponent>) => onChange(replaceAt(components, i, { ...components[i]!, ...patch }));
  const total = weightTotal(components);
  return (
    <section aria-label={t('scheme.components')}>
      <h2 className="section-title">{t('scheme.components')}</h2>
      <table className="grid-table compact">
        <thead><tr><th style={{ width: 150 }}>{t('scheme.code')}</th><th>{t('scheme.zh')}</th><th>{t('scheme.en')}</th><th style={{ width: 140 }}>{t('scheme.kind')}</th><th>{t('scheme.indicator')}</th><th className="num" style={{ width: 100 }}>{t('scheme.weight')}</th><th style={{ width: 60 }} /></tr></thead>
        <tbody>
          {components.map((c, i) => {
            const name = c.zh || c.code || t('scheme.newRow');
            const f = `scheme.components[${i}]`;
            return (
              <tr key={i}>
                <td><CellInput label={`${name} ${t('scheme.code')}`} value={c.code} onChange={(v) => set(i, { code: v })} field={`${f}.code`} error={error} /></td>
                <td><CellInput label={`${name} ${t('scheme.zh')}`} value={c.zh} onChange={(v) => set(i, { zh: v })} field={`${f}.zh`} error={error} /></td>
                <td><CellInput label={`${name} ${t('scheme.en')}`} value={c.en} onChange={(v) => set(i, { en: v })} field={`${f}.en`} error={error} /></td>
                <td>
                  <select aria-label={`${name} ${t('scheme.kind')}`} value={c.kind} onChange={(e) => set(i, { kind: e.target.value as ComponentKind })}>
                    {COMPONENT_KINDS.map((k) => <option key={k} value={k}>{t(KIND_LABEL[k])}</option>)}
                  </select>
                  <FieldError error={error} field={`${f}.kind`} />
                </td>
                <td>
                  {c.kind === 'indicator' ? (
                    <>
                      <select aria-label={`${name} ${t('scheme.indicator')}`} value={c.indicator} onChange={(e) => set(i, { indicator: e.target.value })}>
                        <option value="">—</option>
                        {!indicators.some((x) => x.code === c.indicator) && c.indicator && <option value={c.indicator}>{c.indicator}</option>}
                        {indicators.map((x) => <option key={x.code} value={x.code}>{lang === 'zh' ? x.zh : x.en}</option>)}
                      </select>
                      <label style={{ marginLeft: 8 }}><input type="checkbox" checked={c.inverse} onChange={(e) => set(i, { inverse: e.target.checked })} /> {t('scheme.inverse')}</label>
                      <FieldError error={error} field={`${f}.indicator`} />
                    </>
                  ) : <span className="muted">—</span>}
                </td>
                <td className="num"><CellInput numeric label={`${name} ${t('scheme.weight')}`} value={c.weight} onChange={(v) => set(i, { weight: v })} field={`${f}.weight`} error={error} /></td>
                <td><button type="button" className="btn" aria-label={`${t('common.remove')} ${name}`} onClick={() => onChange(components.filter((_, k) => k !== i))}>{t('common.remove')}</button></td>
              </tr>
            );
          })}
          <tr>
            <td colSpan={5} className="strong">{t('scheme.weightTotal')}</td>
            <td className="num strong" data-testid="weight-total" style={total !== 100 ? { color: 'var(--red)' } : undefined}>{total === null ? '—' : total}</td><td />
          </tr>
        </tbody>
      </table>
      <FieldError error={error} field="scheme.components" />
      <button type="button" className="btn" style={{ marginTop: 4 }} onClick={() => onChange([...components, { code: '', zh: '', en: '', kind: 'entered', weight: '', indicator: '', inverse: false }])}>{t('scheme.addComponent')}</button>
    </section>
  );
}

/** 加分项 / 扣分项 and their caps. */
export function AdjustmentsEditor({ adjustments, onChange, error }: { adjustments: DraftAdjustment[]; onChange: (a: DraftAdjustment[]) => void; error: unknown }) {
  const { t } = useI18n();
  const set = (i: number, patch: Partial<DraftAdjustment>) => onChange(replaceAt(adjustments, i, { ...adjustments[i]!, ...patch }));
  return (
    <section aria-label={t('scheme.adjustments')}>
      <h2 className="section-title">{t('scheme.adjustments')}</h2>
      <table className="grid-table compact">
        <thead><tr><th style={{ width: 150 }}>{t('scheme.code')}</th><th>{t('scheme.zh')}</th><th>{t('scheme.en')}</th><th style={{ width: 110 }}>{t('scheme.adjustmentKind')}</th><th className="num" style={{ width: 100 }}>{t('scheme.adjustmentCap')}</th><th style={{ width: 60 }} /></tr></thead>
        <tbody>{adjustments.map((a, i) => {
          const name = a.zh || a.code || t('scheme.newRow');
          const f = `scheme.adjustments[${i}]`;
          return (
            <tr key={i}>
              <td><CellInput label={`${name} ${t('scheme.code')}`} value={a.code} onChange={(v) => set(i, { code: v })} field={`${f}.code`} error={error} /></td>
              <td><CellInput label={`${name} ${t('scheme.zh')}`} value={a.zh} onChange={(v) => set(i, { zh: v })} field={`${f}.zh`} error={error} /></td>
              <td><CellInput label={`${name} ${t('scheme.en')}`} value={a.en} onChange={(v) => set(i, { en: v })} field={`${f}.en`} error={error} /></td>
              <td>
                <select aria-label={`${name} ${t('scheme.adjustmentKind')}`} value={a.kind} onChange={(e) => set(i, { kind: e.target.value as 'bonus' | 'penalty' })}>
                  <option value="bonus">{t('scheme.bonus')}</option><option value="penalty">{t('scheme.penaltyItem')}</option>
                </select>
                <FieldError error={error} field={`${f}.kind`} />
              </td>
              <td className="num"><CellInput numeric label={`${name} ${t('scheme.adjustmentCap')}`} value={a.cap} onChange={(v) => set(i, { cap: v })} field={`${f}.cap`} error={error} /></td>
              <td><button type="button" className="btn" aria-label={`${t('common.remove')} ${name}`} onClick={() => onChange(adjustments.filter((_, k) => k !== i))}>{t('common.remove')}</button></td>
            </tr>
          );
        })}</tbody>
      </table>
      <FieldError error={error} field="scheme.adjustments" />
      <button type="button" className="btn" style={{ marginTop: 4 }} onClick={() => onChange([...adjustments, { code: '', zh: '', en: '', kind: 'bonus', cap: '' }])}>{t('scheme.addAdjustment')}</button>
    </section>
  );
}

/** 难度系数调整: points added to (or taken from) a unit's score, with the reason. */
export function HandicapsEditor({ handicaps, onChange, error, units }: { handicaps: DraftHandicap[]; onChange: (h: DraftHandicap[]) => void; error: unknown; units: { code: string; name: string }[] }) {
  const { t } = useI18n();
  const set = (i: number, patch: Partial<DraftHandicap>) => onChange(replaceAt(handicaps, i, { ...handicaps[i]!, ...patch }));
  return (
    <section aria-label={t('scheme.handicaps')}>
      <h2 className="section-title">{t('scheme.handicaps')}</h2>
      <table className="grid-table compact">
        <thead><tr><th style={{ width: 240 }}>{t('evaluation.unit')}</th><th className="num" style={{ width: 110 }}>{t('scheme.handicapPoints')}</th><th>{t('scheme.handicapReason')}</th><th style={{ width: 60 }} /></tr></thead>
        <tbody>{handicaps.map((h, i) => {
          const unitName = units.find((u) => u.code === h.unitCode)?.name ?? h.unitCode;
          const name = unitName || t('scheme.newRow');
          const f = `scheme.handicaps[${i}]`;
          return (
            <tr key={i}>
              <td>
                <select aria-label={`${name} ${t('evaluation.unit')}`} value={h.unitCode} onChange={(e) => set(i, { unitCode: e.target.value })}>
                  <option value="">—</option>
                  {h.unitCode && !units.some((u) => u.code === h.unitCode) && <option value={h.unitCode}>{h.unitCode}</option>}
                  {units.map((u) => <option key={u.code} value={u.code}>{u.name} ({u.code})</option>)}
                </select>
                <FieldError error={error} field={`${f}.unitCode`} />
              </td>
              <td className="num"><CellInput numeric label={`${name} ${t('scheme.handicapPoints')}`} value={h.points} onChange={(v) => set(i, { points: v })} field={`${f}.points`} error={error} /></td>
              <td><CellInput label={`${name} ${t('scheme.handicapReason')}`} value={h.reason} onChange={(v) => set(i, { reason: v })} field={`${f}.reason`} error={error} /></td>
              <td><button type="button" className="btn" aria-label={`${t('common.remove')} ${name}`} onClick={() => onChange(handicaps.filter((_, k) => k !== i))}>{t('common.remove')}</button></td>
            </tr>
          );
        })}</tbody>
      </table>
      <FieldError error={error} field="scheme.handicaps" />
      <button type="button" className="btn" style={{ marginTop: 4 }} onClick={() => onChange([...handicaps, { unitCode: '', points: '', reason: '' }])}>{t('scheme.addHandicap')}</button>
    </section>
  );
}

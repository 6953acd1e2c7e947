import { TIME_LIMIT_UNITS } from '../api/calendar.ts';
import { useI18n } from '../i18n/index.tsx';
import { UNIT_LABEL } from '../labels.ts';

/** A time limit being typed: the value stays text until saved, so the server judges what was typed. */
export interface LimitDraft { value: string; unit: string }

export const toDraft = (limit: { value: number; unit: string }): LimitDraft => ({ value: String(limit.value), unit: limit.unit });
export const fromDraft = (draft: LimitDraft) => ({ value: draft.value.trim() === '' ? Number.NaN : Number(draft.value), unit: draft.unit });
export const sameLimit = (a: { value: number; unit: string }, b: LimitDraft) => String(a.value) === b.value.trim() && a.unit === b.unit;

/** Value and unit of a time limit (工作时, 工作日, 紧急工作时 …). */
export function LimitInput({ draft, onChange, label }: { draft: LimitDraft; onChange: (draft: LimitDraft) => void; label: string }) {
  const { t } = useI18n();
  return (
    <span className="inline-field">
      <input className="short" type="number" step="any" inputMode="decimal" aria-label={t('limitInput.value', { what: label })} value={draft.value} onChange={(e) => onChange({ ...draft, value: e.target.value })} />
      <select aria-label={t('limitInput.unit', { what: label })} value={draft.unit} onChange={(e) => onChange({ ...draft, unit: e.target.value })}>
        {TIME_LIMIT_UNITS.map((u) => <option key={u} value={u}>{t(UNIT_LABEL[u])}</option>)}
      </select>
    </span>
  );
}

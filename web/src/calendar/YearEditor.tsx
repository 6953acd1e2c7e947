import { useState, type FormEvent } from 'react';
import { putCalendarYear, type CalendarDay, type CalendarYear } from '../api/calendar.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { draftBody, draftChanges, draftFrom, withDates, withDay, type YearDraft } from './yearDraft.ts';

interface YearEditorProps {
  code: string;
  year: number;
  info: CalendarYear | undefined;
  saved: readonly CalendarDay[];
  draft: YearDraft | null;
  onDraft: (draft: YearDraft | null) => void;
  selected: string | null;
  onSelect: (date: string) => void;
  weekendDays: readonly number[];
  /** The calendar's version when `saved` was loaded. */
  baseVersion: number | undefined;
  onSaved: () => void;
}

/**
 * The administrator's editing of one year (PUT /api/calendars/:code/years/:year): its status and source
 * (the State Council notice), and its holidays and 调休 working days. Changes gather in a draft that the
 * month grids already show; saving replaces the year, and a refusal names the field and the date.
 */
export function YearEditor({ code, year, info, saved, draft, onDraft, selected, onSelect, weekendDays, baseVersion, onSaved }: YearEditorProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);
  const current = draft ?? draftFrom(info, saved);
  const edit = (next: YearDraft) => { setDone(false); onDraft(next); };
  const changes = draft ? draftChanges(draft, info, saved) : 0;
  const rows = [...current.days.values()].sort((a, b) => a.date.localeCompare(b.date));

  const save = async () => {
    const body = draftBody(current);
    setBusy(true);
    setError(undefined);
    try {
      await putCalendarYear(code, year, { ...body, ...(baseVersion !== undefined ? { expectedUpdatedAt: baseVersion } : {}) });
      setDone(true);
      onSaved();
    } catch (cause) {
      setError(withDates(cause, body));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card" aria-label={t('calendarEdit.title', { year })} role="region">
      <h3>{t('calendarEdit.title', { year })}</h3>
      <div className="field-row">
        <label className="field" style={{ flex: '0 0 96px' }}>
          <span>{t('calendarEdit.status')}</span>
          <select value={current.status} onChange={(e) => edit({ ...current, status: e.target.value as YearDraft['status'] })}>
            <option value="official">{t('calendar.status.official')}</option>
            <option value="provisional">{t('calendar.status.provisional')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('calendar.source')}</span>
          <input value={current.source} placeholder={t('calendarEdit.sourceHint', { year })} onChange={(e) => edit({ ...current, source: e.target.value })} />
        </label>
      </div>
      <DayForm
        key={selected ?? ''}
        year={year}
        date={selected}
        entry={selected ? current.days.get(selected) : undefined}
        weekendDays={weekendDays}
        onApply={(date, kind, name) => { onSelect(date); edit(withDay(current, date, kind, name)); }}
      />
      <div className="muted small">{t('calendarEdit.clickHint')}</div>
      {rows.length === 0 ? <div className="muted small">{t('calendar.noEntries')}</div> : (
        <div style={{ maxHeight: 320, overflowY: 'auto', marginTop: 6 }}>
        <table className="grid-table compact" aria-label={t('calendar.entries', { year })}>
          <tbody>
            {rows.map((d) => (
              <tr key={d.date} className={d.date === selected ? 'selected' : ''}>
                <td className="mono nowrap"><button type="button" className="link-btn" onClick={() => onSelect(d.date)}>{d.date}</button></td>
                <td><span className={`day-chip ${d.kind === 'holiday' ? 'holiday' : 'adjusted'}`}>{d.kind === 'holiday' ? t('calendar.tag.holiday') : t('calendar.tag.adjusted')}</span></td>
                <td>{d.name}</td>
                <td className="nowrap">
                  <button type="button" className="link-btn" aria-label={t('calendarEdit.removeDay', { date: d.date })} onClick={() => edit(withDay(current, d.date, null, ''))}>{t('common.remove')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="btn primary" disabled={busy || !draft} onClick={save}>{busy ? t('common.saving') : t('calendarEdit.save', { year })}</button>
        <button type="button" className="btn" disabled={busy || !draft} onClick={() => { setError(undefined); onDraft(null); }}>{t('common.reset')}</button>
        {draft && <span className="field-hint">{t('calendarEdit.unsaved', { n: changes })}</span>}
        {!draft && done && <span className="ok-text small">{t('common.saved')}</span>}
      </div>
      <ErrorPanel error={error} />
    </div>
  );
}

type KindChoice = CalendarDay['kind'] | 'none';

/** One date: a holiday (放假), a 调休 working day on a weekend, or an ordinary day (its entry removed). */
function DayForm({ year, date, entry, weekendDays, onApply }: {
  year: number; date: string | null; entry: CalendarDay | undefined; weekendDays: readonly number[];
  onApply: (date: string, kind: CalendarDay['kind'] | null, name: string) => void;
}) {
  const { t } = useI18n();
  const weekday = date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`).getUTCDay() : NaN;
  const [value, setValue] = useState(date ?? `${year}-`);
  const [kind, setKind] = useState<KindChoice>(entry?.kind ?? (weekendDays.includes(weekday) ? 'workday' : 'holiday'));
  const [name, setName] = useState(entry?.name ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(value.trim(), kind === 'none' ? null : kind, name.trim());
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label={t('calendarEdit.dayForm')}>
      <div className="field-row">
        <label className="field">
          <span>{t('calendarEdit.date')}</span>
          <input className="mono" value={value} placeholder="YYYY-MM-DD" inputMode="numeric" onChange={(e) => setValue(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('calendarEdit.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as KindChoice)}>
            <option value="holiday">{t('calendarEdit.kind.holiday')}</option>
            <option value="workday">{t('calendarEdit.kind.workday')}</option>
            <option value="none">{t('calendarEdit.kind.none')}</option>
          </select>
        </label>
      </div>
      {kind !== 'none' && (
        <label className="field">
          <span>{t('calendarEdit.name')}</span>
          <input value={name} placeholder={kind === 'holiday' ? t('calendarEdit.nameHintHoliday') : t('calendarEdit.nameHintWorkday')} onChange={(e) => setName(e.target.value)} />
        </label>
      )}
      <div className="form-actions">
        <button type="submit" className="btn">{entry ? t('calendarEdit.applyChange') : t('calendarEdit.applyAdd')}</button>
      </div>
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { patchCalendar, type WorkCalendar } from '../api/calendar.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';

/**
 * The administrator's edit of a calendar's settings (PATCH /api/calendars/:code): name, time zone, the
 * working periods of a working day (作息时间) and the weekend days. The server checks the periods (HH:MM,
 * ordered, not overlapping) and names the field it refuses, e.g. timetable[1].start.
 */
export function SettingsForm({ calendar, onDone, onCancel }: { calendar: WorkCalendar; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const weekdayNames = t('calendar.weekdaysSundayFirst').split(',');
  const [name, setName] = useState(calendar.name);
  const [timezone, setTimezone] = useState(calendar.timezone);
  const [periods, setPeriods] = useState(() => calendar.timetable.map((p) => ({ ...p })));
  const [weekend, setWeekend] = useState<number[]>(() => [...calendar.weekendDays]);
  const { busy, error, setError, run } = useSubmit();

  const setPeriod = (i: number, patch: Partial<{ start: string; end: string }>) => setPeriods((ps) => ps.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const toggleDay = (d: number) => setWeekend((w) => (w.includes(d) ? w.filter((x) => x !== d) : [...w, d].sort((a, b) => a - b)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await patchCalendar(calendar.code, { name: name.trim(), timezone: timezone.trim(), timetable: periods.map((p) => ({ start: p.start.trim(), end: p.end.trim() })), weekendDays: weekend });
      onDone();
    });
  };

  return (
    <form className="card" onSubmit={submit} aria-label={t('calendarEdit.settings')} noValidate>
      <h3>{t('calendarEdit.settings')}</h3>
      <label className="field"><span>{t('calendarEdit.calendarName')}</span><input value={name} onChange={(e) => setName(e.target.value)} /></label>
      <label className="field"><span>{t('calendar.timezone')}</span><input className="mono" value={timezone} onChange={(e) => setTimezone(e.target.value)} /></label>
      <div className="field">
        <span>{t('calendar.workingPeriods')}</span>
        {periods.map((p, i) => (
          <div key={i} className="pause-row">
            <input className="mono" value={p.start} placeholder="08:00" aria-label={t('calendarEdit.periodStart', { n: i + 1 })} onChange={(e) => setPeriod(i, { start: e.target.value })} />
            <span>–</span>
            <input className="mono" value={p.end} placeholder="12:00" aria-label={t('calendarEdit.periodEnd', { n: i + 1 })} onChange={(e) => setPeriod(i, { end: e.target.value })} />
            <button type="button" className="btn small" disabled={periods.length <= 1} onClick={() => setPeriods((ps) => ps.filter((_, j) => j !== i))}>{t('common.remove')}</button>
          </div>
        ))}
        {periods.length < 6 && (
          <button type="button" className="link-btn" onClick={() => setPeriods((ps) => [...ps, { start: '', end: '' }])}>+ {t('calendarEdit.addPeriod')}</button>
        )}
      </div>
      <fieldset className="field" style={{ border: 'none', padding: 0, margin: '0 0 10px' }}>
        <legend>{t('calendar.weekend')}</legend>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {[1, 2, 3, 4, 5, 6, 0].map((d) => (
            <label key={d} className="inline-field">
              <input type="checkbox" checked={weekend.includes(d)} onChange={() => toggleDay(d)} />
              {weekdayNames[d]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="muted small">{t('calendarEdit.settingsNote')}</div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.saving') : t('common.save')}</button>
        <button type="button" className="btn" disabled={busy} onClick={onCancel}>{t('calendarEdit.cancel')}</button>
      </div>
      <ErrorPanel error={error} />
    </form>
  );
}

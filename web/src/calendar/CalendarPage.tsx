import { useEffect, useMemo, useState } from 'react';
import { calendarDays, listCalendars, type CalendarDay } from '../api/calendar.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { DayLegend, MonthGrid } from './MonthGrid.tsx';
import { DeadlineForm } from './DeadlineForm.tsx';
import { TimetableCard, YearBanner } from './CalendarInfo.tsx';
import { todayIn, yearSummary } from './calendarModel.ts';
import { useSession } from '../shell/session.tsx';
import { YearEditor } from './YearEditor.tsx';
import { SettingsForm } from './SettingsForm.tsx';
import type { YearDraft } from './yearDraft.ts';

/**
 * 工作日历: a year of month grids (workdays, weekends, holidays, 调休 working days) and a deadline calculator.
 * The administrator (calendar.write) also edits the year (click a day), its status and source, and the settings.
 */
export function CalendarPage() {
  const { t, num } = useI18n();
  const { can } = useSession();
  const canEdit = can('calendar.write');
  const [draft, setDraft] = useState<YearDraft | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [editingSettings, setEditingSettings] = useState(false);
  const [version, setVersion] = useState(0);
  const calendars = useApi((signal) => listCalendars(signal), []);
  const [code, setCode] = useState<string | null>(null);
  const calendar = calendars.data?.items.find((c) => c.code === code)
    ?? calendars.data?.items.find((c) => c.isDefault) ?? calendars.data?.items[0];
  const tz = calendar?.timezone ?? 'Asia/Shanghai';
  const today = todayIn(tz);
  const [year, setYear] = useState(() => Number(today.slice(0, 4)));
  const [month0, setMonth0] = useState(() => Number(today.slice(5, 7)) - 1);

  const days = useApi(
    (signal) => (calendar ? calendarDays(calendar.code, year, signal) : Promise.resolve({ items: [] as CalendarDay[], updatedAt: undefined as number | undefined })),
    [calendar?.code, year],
  );
  const savedEntries = useMemo(() => new Map((days.data?.items ?? []).map((d) => [d.date, d])), [days.data]);
  // The grids show the administrator's unsaved draft as soon as a day is changed.
  const entries = draft ? draft.days : savedEntries;
  const discardsDraft = () => !draft || window.confirm(t('calendarEdit.discardConfirm'));
  const yearOptions = useMemo(() => {
    const set = new Set((calendar?.years ?? []).map((y) => y.year));
    const current = Number(today.slice(0, 4));
    for (const y of [current - 1, current, current + 1]) set.add(y);
    // The administrator loads the next year when the State Council publishes it (years are contiguous).
    if (canEdit && set.size) set.add(Math.max(...set) + 1);
    return [...set].sort((a, b) => a - b);
  }, [calendar, today, canEdit]);

  useEffect(() => {
    if (calendar && code === null) setCode(calendar.code);
  }, [calendar, code]);
  // A year (re)loaded from the server replaces the draft: after a save, the saved days take its place without a flicker.
  useEffect(() => setDraft(null), [days.data]);

  if (calendars.error) return <div className="page"><ErrorPanel error={calendars.error} /></div>;
  if (!calendars.data) return <div className="page"><Loading /></div>;
  if (!calendar) return <div className="page"><PageHeader title={t('calendar.title')} /><Empty>{t('calendar.none')}</Empty></div>;

  const weekendDays = calendar.weekendDays;
  const summary = yearSummary(year, weekendDays, entries);
  const yearEntries = [...entries.values()].filter((d) => d.date.startsWith(`${year}-`)).sort((a, b) => a.date.localeCompare(b.date));

  return (
    <div className="page">
      <PageHeader title={t('calendar.title')}>
        <label className="inline-field">
          <span>{t('calendar.calendar')}</span>
          <select value={calendar.code} onChange={(e) => { if (discardsDraft()) { setDraft(null); setSelected(null); setCode(e.target.value); } }}>
            {calendars.data.items.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
          </select>
        </label>
        <label className="inline-field">
          <span>{t('calendar.year')}</span>
          <select value={year} onChange={(e) => { if (discardsDraft()) { setDraft(null); setSelected(null); setYear(Number(e.target.value)); } }}>
            {yearOptions.map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
        </label>
      </PageHeader>
      <YearBanner year={year} info={calendar.years.find((y) => y.year === year)} />
      <ErrorPanel error={days.error} />
      <div className="calendar-layout">
        <div className="calendar-main">
          <div className="summary-line">
            <DayLegend />
            <span className="muted small">
              {t('calendar.summary', { workdays: num(summary.workday + summary.adjusted), holidays: num(summary.holiday), adjusted: num(summary.adjusted) })}
            </span>
            {days.loading && <Loading inline />}
          </div>
          <div className="year-grid">
            {Array.from({ length: 12 }, (_, m) => (
              <MonthGrid key={m} year={year} month0={m} weekendDays={weekendDays} entries={entries} today={today} compact active={m === month0} onPick={() => setMonth0(m)} />
            ))}
          </div>
          <div className="month-detail">
            <div className="month-nav">
              <button type="button" className="btn small" disabled={month0 === 0} onClick={() => setMonth0(month0 - 1)}>‹</button>
              <button type="button" className="btn small" disabled={month0 === 11} onClick={() => setMonth0(month0 + 1)}>›</button>
            </div>
            <MonthGrid
              year={year} month0={month0} weekendDays={weekendDays} entries={entries} today={today}
              {...(canEdit ? { onDayClick: setSelected, selected } : {})}
            />
          </div>
        </div>
        <div className="calendar-side">
          {editingSettings && canEdit
            ? <SettingsForm calendar={calendar} onCancel={() => setEditingSettings(false)} onDone={() => { setEditingSettings(false); calendars.reload(); setVersion((v) => v + 1); }} />
            : <TimetableCard calendar={calendar} {...(canEdit ? { onEdit: () => setEditingSettings(true) } : {})} />}
          <DeadlineForm key={calendar.code} calendar={calendar} version={version} />
          {canEdit && days.data && (
            <YearEditor
              code={calendar.code} year={year} info={calendar.years.find((y) => y.year === year)} saved={days.data.items}
              draft={draft} onDraft={setDraft} selected={selected}
              onSelect={(date) => { setSelected(date); const m = Number(date.slice(5, 7)) - 1; if (date.startsWith(`${year}-`) && m >= 0 && m < 12) setMonth0(m); }}
              weekendDays={weekendDays}
              baseVersion={days.data.updatedAt}
              onSaved={() => { days.reload(); calendars.reload(); setVersion((v) => v + 1); }}
            />
          )}
          {!canEdit && <div className="card">
            <h3>{t('calendar.entries', { year })}</h3>
            {yearEntries.length === 0 ? <div className="muted small">{t('calendar.noEntries')}</div> : (
              <table className="grid-table compact">
                <tbody>
                  {yearEntries.map((d) => (
                    <tr key={d.date}>
                      <td className="mono nowrap">{d.date}</td>
                      <td><span className={`day-chip ${d.kind === 'holiday' ? 'holiday' : 'adjusted'}`}>{d.kind === 'holiday' ? t('calendar.tag.holiday') : t('calendar.tag.adjusted')}</span></td>
                      <td>{d.name}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>}
        </div>
      </div>
    </div>
  );
}

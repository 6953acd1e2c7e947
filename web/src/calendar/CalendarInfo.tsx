import type { CalendarYear, WorkCalendar } from '../api/calendar.ts';
import { useI18n } from '../i18n/index.tsx';

/** The provisional-year warning (or the data source of an official year). */
export function YearBanner({ year, info }: { year: number; info: CalendarYear | undefined }) {
  const { t } = useI18n();
  if (!info) return <div className="notice warn">{t('calendar.noYearData', { year })}</div>;
  if (info.status === 'provisional') {
    return (
      <div className="notice warn">
        <strong>{t('calendar.provisionalTitle', { year })}</strong> {t('calendar.provisionalBody')}
        {info.source && <div className="small">{t('calendar.source')}: {info.source}</div>}
      </div>
    );
  }
  return <div className="notice info small">{t('calendar.official', { year })}{info.source ? ` · ${t('calendar.source')}: ${info.source}` : ''}</div>;
}

/** Timetable, time zone and weekend days of a calendar. */
export function TimetableCard({ calendar, onEdit }: { calendar: WorkCalendar; onEdit?: () => void }) {
  const { t } = useI18n();
  const weekdayNames = t('calendar.weekdaysSundayFirst').split(',');
  return (
    <div className="card">
      <h3>
        {t('calendar.timetable')}
        {onEdit && <button type="button" className="link-btn" style={{ float: 'right', fontWeight: 400 }} onClick={onEdit}>{t('calendarEdit.editSettings')}</button>}
      </h3>
      <dl className="props">
        <dt>{t('calendar.workingPeriods')}</dt>
        <dd>{calendar.timetable.map((p) => `${p.start}–${p.end}`).join('，')}</dd>
        <dt>{t('calendar.timezone')}</dt>
        <dd className="mono">{calendar.timezone}</dd>
        <dt>{t('calendar.weekend')}</dt>
        <dd>{calendar.weekendDays.map((d) => weekdayNames[d] ?? String(d)).join('、') || '—'}</dd>
        <dt>{t('calendar.years')}</dt>
        <dd>
          {calendar.years.map((y) => (
            <span key={y.year} className={`badge ${y.status === 'provisional' ? 'warn' : 'plain'}`} title={y.source}>
              {y.year} {y.status === 'provisional' ? t('calendar.status.provisional') : t('calendar.status.official')}
            </span>
          ))}
        </dd>
      </dl>
    </div>
  );
}

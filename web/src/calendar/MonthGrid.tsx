import type { KeyboardEvent } from 'react';
import type { CalendarDay } from '../api/calendar.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { monthWeeks, type DayKind } from './calendarModel.ts';

export const DAY_KIND_LABEL: Record<DayKind, MessageKey> = {
  workday: 'calendar.kind.workday', weekend: 'calendar.kind.weekend', holiday: 'calendar.kind.holiday', adjusted: 'calendar.kind.adjusted',
};

interface MonthGridProps {
  year: number;
  month0: number;
  weekendDays: readonly number[];
  entries: ReadonlyMap<string, CalendarDay>;
  today: string;
  compact?: boolean;
  active?: boolean;
  onPick?: () => void;
  /** Clicking a day (the administrator's editing): the day's date. */
  onDayClick?: (date: string) => void;
  selected?: string | null;
}

export function MonthGrid({ year, month0, weekendDays, entries, today, compact, active, onPick, onDayClick, selected }: MonthGridProps) {
  const { t } = useI18n();
  const weekdays = t('calendar.weekdays').split(',');
  const monthName = t('calendar.monthNames').split(',')[month0] ?? String(month0 + 1);
  const weeks = monthWeeks(year, month0, weekendDays, entries, today);
  const classes = ['month', compact ? 'compact' : 'full', active ? 'active' : ''].join(' ');
  const body = (
    <>
      <div className="month-title">{compact ? monthName : t('calendar.monthTitle', { year, month: monthName })}</div>
      <table className="month-grid">
        <thead>
          <tr>{weekdays.map((w, i) => <th key={i} className={weekendDays.includes((i + 1) % 7) ? 'we' : ''}>{w}</th>)}</tr>
        </thead>
        <tbody>
          {weeks.map((week, wi) => (
            <tr key={wi}>
              {week.map((cell, di) => cell === null ? <td key={di} className="pad" /> : (
                <td
                  key={di}
                  className={`day ${cell.kind}${cell.today ? ' today' : ''}`}
                  data-date={cell.date}
                  title={`${cell.date} · ${t(DAY_KIND_LABEL[cell.kind])}${cell.name ? ` · ${cell.name}` : ''}`}
                  {...(onDayClick ? {
                    role: 'button', tabIndex: 0, 'aria-pressed': cell.date === selected,
                    style: { cursor: 'pointer', ...(cell.date === selected ? { outline: '2px solid var(--blue)', outlineOffset: -2 } : {}) },
                    onClick: () => onDayClick(cell.date),
                    onKeyDown: (e: KeyboardEvent) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onDayClick(cell.date); } },
                  } : {})}
                >
                  <span className="day-num">{cell.day}</span>
                  {!compact && cell.kind === 'adjusted' && <span className="day-tag">{t('calendar.tag.adjusted')}</span>}
                  {!compact && cell.kind === 'holiday' && <span className="day-tag">{t('calendar.tag.holiday')}</span>}
                  {!compact && cell.name && <span className="day-name">{cell.name}</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
  if (!onPick) return <div className={classes}>{body}</div>;
  return (
    <div
      className={`${classes} clickable`}
      role="button"
      tabIndex={0}
      onClick={onPick}
      onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onPick(); } }}
    >
      {body}
    </div>
  );
}

export function DayLegend() {
  const { t } = useI18n();
  return (
    <div className="day-legend">
      {(Object.keys(DAY_KIND_LABEL) as DayKind[]).map((k) => (
        <span key={k}><span className={`swatch day ${k}`} />{t(DAY_KIND_LABEL[k])}</span>
      ))}
    </div>
  );
}

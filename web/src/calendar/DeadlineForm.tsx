import { useEffect, useRef, useState, type FormEvent } from 'react';
import { computeDeadline, TIME_LIMIT_UNITS, type DeadlineRequest, type TimeLimitUnit, type WorkCalendar } from '../api/calendar.ts';
import { useI18n } from '../i18n/index.tsx';
import { UNIT_LABEL } from '../labels.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { ApiError, type FieldIssue } from '../api/client.ts';
import { formatInZone, isoToWallTime, wallTimeToIso } from './calendarModel.ts';


interface Pause {
  from: string;
  to: string;
}

/**
 * Deadline calculator: start + limit (value, unit) − pauses (挂账) → due time, in the calendar's zone.
 * `version` moves when the administrator saves the calendar: the last computation is then run again and
 * the due time before the change is shown next to the new one (the edit's effect on deadlines).
 */
export function DeadlineForm({ calendar, version = 0 }: { calendar: WorkCalendar; version?: number }) {
  const { t, lang } = useI18n();
  const tz = calendar.timezone;
  const [start, setStart] = useState(() => isoToWallTime(Date.now(), tz));
  const [value, setValue] = useState('4');
  const [unit, setUnit] = useState<TimeLimitUnit>('working_hours');
  const [pauses, setPauses] = useState<Pause[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [due, setDue] = useState<{ at: string | null } | null>(null);
  const [before, setBefore] = useState<{ at: string | null } | null>(null);
  const last = useRef<DeadlineRequest | null>(null);
  const seenVersion = useRef(version);

  const run = async (body: DeadlineRequest) => {
    setBusy(true);
    try {
      const result = await computeDeadline(calendar.code, body);
      last.current = body;
      setDue({ at: result.dueAt });
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (seenVersion.current === version) return;
    seenVersion.current = version;
    if (!last.current || !due) return;
    setBefore(due);
    setError(null);
    void run(last.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new calendar version re-runs
  }, [version]);

  const setPause = (index: number, patch: Partial<Pause>) => setPauses((ps) => ps.map((p, i) => (i === index ? { ...p, ...patch } : p)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDue(null);
    setBefore(null);
    const startIso = wallTimeToIso(start, tz);
    const issues: FieldIssue[] = [];
    if (!startIso) issues.push({ field: 'start', message: t('deadline.badStart') });
    const limitValue = Number(value);
    if (!Number.isFinite(limitValue) || limitValue <= 0) issues.push({ field: 'limit.value', message: t('deadline.badValue') });
    const pauseBody = pauses.map((p, i) => {
      const from = wallTimeToIso(p.from, tz);
      const to = wallTimeToIso(p.to, tz);
      if (!from || !to) issues.push({ field: `pauses[${i}]`, message: t('deadline.badPause') });
      return { from: from ?? '', to: to ?? '' };
    });
    if (issues.length > 0 || !startIso) {
      setError(new ApiError(400, 'validation_failed', t('deadline.invalid'), issues));
      return;
    }
    await run({ start: startIso, limit: { value: limitValue, unit }, ...(pauseBody.length ? { pauses: pauseBody } : {}) });
  };

  return (
    <form className="card deadline-form" onSubmit={submit} noValidate>
      <h3>{t('deadline.title')}</h3>
      <label className="field">
        <span>{t('deadline.start')} <span className="muted">({tz})</span></span>
        <input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} required />
      </label>
      <div className="field-row">
        <label className="field">
          <span>{t('deadline.value')}</span>
          <input type="number" min="0" step="any" value={value} onChange={(e) => setValue(e.target.value)} required />
        </label>
        <label className="field">
          <span>{t('deadline.unit')}</span>
          <select value={unit} onChange={(e) => setUnit(e.target.value as TimeLimitUnit)}>
            {TIME_LIMIT_UNITS.map((u) => <option key={u} value={u}>{t(UNIT_LABEL[u])}</option>)}
          </select>
        </label>
      </div>
      <div className="field">
        <span>{t('deadline.pauses')}</span>
        {pauses.map((p, i) => (
          <div key={i} className="pause-row">
            <input type="datetime-local" value={p.from} aria-label={t('deadline.pauseFrom')} onChange={(e) => setPause(i, { from: e.target.value })} />
            <span>→</span>
            <input type="datetime-local" value={p.to} aria-label={t('deadline.pauseTo')} onChange={(e) => setPause(i, { to: e.target.value })} />
            <button type="button" className="btn small" onClick={() => setPauses((ps) => ps.filter((_, j) => j !== i))}>{t('common.remove')}</button>
          </div>
        ))}
        <button type="button" className="link-btn" onClick={() => setPauses((ps) => [...ps, { from: start, to: start }])}>+ {t('deadline.addPause')}</button>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.loading') : t('deadline.compute')}</button>
      </div>
      <ErrorPanel error={error ?? undefined} />
      {due && (due.at ? (
        <div className="notice ok due">
          <div className="muted small">{t('deadline.dueAt')}</div>
          <div className="due-time">{formatInZone(due.at, tz, lang)}</div>
          <div className="mono small muted" data-testid="due-iso">{due.at}</div>
          {before && before.at !== due.at && (
            <div className="small" data-testid="due-before">
              {t('calendarEdit.dueBefore', { when: before.at ? formatInZone(before.at, tz, lang) : t('deadline.paused') })}
            </div>
          )}
          {before && before.at === due.at && <div className="small muted">{t('calendarEdit.dueUnchanged')}</div>}
        </div>
      ) : <div className="notice warn">{t('deadline.paused')}</div>)}
    </form>
  );
}

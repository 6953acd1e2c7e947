import { useState, type FormEvent } from 'react';
import { beijingYearNow, closeYear, enterBonus, getAreaTotals, getClosedYears, getRules, getUnitTotals, runSweep, type Ledger, type SweepSummary } from '../api/points.ts';
import { uploadPhoto } from '../api/cases.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { localTime } from '../evaluation/format.ts';

/** The evaluation office's writes: a bonus with its reason and photos, recording now, closing a year. */
export function PointsOffice({ year }: { year: number }) {
  return (
    <>
      <BonusForm />
      <SweepPanel year={year} />
      <ClosePanel />
    </>
  );
}

type Target = 'area' | 'department' | 'territory';

function BonusForm() {
  const { t } = useI18n();
  const rules = useApi((signal) => getRules('responsibility', signal), []);
  const bonusMax = (rules.data?.current.rules as { bonusMax?: number } | undefined)?.bonusMax;
  // The codes to pick from: the overlays and units in the office's scope (the whole city).
  const areas = useApi((signal) => getAreaTotals(beijingYearNow(), '', signal), []);
  const units = useApi((signal) => getUnitTotals(beijingYearNow(), signal), []);
  const [target, setTarget] = useState<Target>('area');
  const [code, setCode] = useState('');
  const [points, setPoints] = useState('');
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      setDone(null);
      const evidence: number[] = [];
      for (const file of files) evidence.push(await uploadPhoto(file));
      const key = target === 'area' ? 'areaCode' : target === 'department' ? 'departmentCode' : 'territoryCode';
      // What the field cannot parse goes as 0, which the server refuses naming `points` (NaN would travel as null and fail the schema instead).
      const value = Number(points);
      const r = await enterBonus({ [key]: code.trim(), points: Number.isFinite(value) ? value : 0, reason, ...(evidence.length ? { evidence } : {}), ...(date ? { date } : {}) });
      setDone(t('pts.bonus.done', { id: r.id, points: r.points }));
      setCode(''); setPoints(''); setReason(''); setFiles([]); setDate('');
    });
  };
  return (
    <form className="card" onSubmit={send} aria-label={t('pts.bonus.title')}>
      <h2>{t('pts.bonus.title')}</h2>
      <div className="field-row">
        <label className="field"><span>{t('pts.bonus.target')}</span>
          <select value={target} onChange={(e) => setTarget(e.target.value as Target)}>
            {(['area', 'department', 'territory'] as const).map((k) => <option key={k} value={k}>{t(`pts.bonus.target.${k}`)}</option>)}
          </select>
        </label>
        <label className="field"><span>{t('pts.bonus.code')}</span><input name="code" list="pts-bonus-codes" value={code} onChange={(e) => setCode(e.target.value)} /></label>
        <datalist id="pts-bonus-codes">
          {target === 'area' && areas.data?.items.map((a) => <option key={a.code} value={a.code}>{a.name}</option>)}
          {target !== 'area' && units.data?.items.filter((u) => u.kind === target).map((u) => <option key={u.code} value={u.code}>{u.name}</option>)}
        </datalist>
        <label className="field"><span>{t('pts.bonus.points')}{bonusMax !== undefined && <span className="muted small">（{t('pts.bonus.max', { n: bonusMax })}）</span>}</span>
          <input name="points" inputMode="decimal" value={points} onChange={(e) => setPoints(e.target.value)} />
        </label>
        <label className="field"><span>{t('pts.bonus.date')}</span><input name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} /></label>
      </div>
      <label className="field"><span>{t('pts.bonus.reason')}</span><textarea name="reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} /></label>
      <label className="field"><span>{t('pts.bonus.photos')}</span><input name="photos" type="file" accept="image/*" multiple onChange={(e) => setFiles([...(e.target.files ?? [])])} /></label>
      <ErrorPanel error={error} />
      {done && <p className="badge ok">{done}</p>}
      <button type="submit" className="btn primary" disabled={busy}>{t('pts.bonus.send')}</button>
    </form>
  );
}

function SweepPanel({ year }: { year: number }) {
  const { t } = useI18n();
  const [summary, setSummary] = useState<SweepSummary | null>(null);
  const { busy, error, run } = useSubmit();
  return (
    <section className="card" aria-label={t('pts.sweep.title')}>
      <h2>{t('pts.sweep.title')}</h2>
      <p className="muted small">{t('pts.sweep.hint')}</p>
      <div className="toolbar">
        <button type="button" className="btn primary" disabled={busy} onClick={() => run(async () => setSummary(await runSweep()))}>{t('pts.sweep.run')}</button>
        {/* The re-read of a whole year: for records written with past dates (an import), which the mark does not see. */}
        <button type="button" className="btn" disabled={busy} onClick={() => run(async () => setSummary(await runSweep(year)))}>{t('pts.sweep.year', { year })}</button>
      </div>
      <ErrorPanel error={error} />
      {summary && (
        <p className="small" role="status">{t('pts.sweep.done', {
          from: localTime(summary.responsibility.window.from), to: localTime(summary.responsibility.window.to),
          finding: summary.responsibility.finding, overdue: summary.responsibility.case_overdue, repeated: summary.responsibility.case_repeated,
          alerts: summary.responsibility.alerts, credit: summary.credit.violation + summary.credit.finding,
        })}</p>
      )}
    </section>
  );
}

function ClosePanel() {
  const { t } = useI18n();
  const years = useApi((signal) => getClosedYears(signal), []);
  const last = beijingYearNow() - 1;
  const [year, setYear] = useState(last);
  const [ledger, setLedger] = useState<Ledger>('responsibility');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const close = () => {
    const name = t(`pts.close.ledger.${ledger}`);
    if (!window.confirm(t('pts.close.confirm', { year, ledger: name }))) return;
    void run(async () => {
      const r = await closeYear(year, ledger);
      setDone(t('pts.close.done', { year: r.year, n: r.subjects }));
      years.reload();
    });
  };
  return (
    <section className="card" aria-label={t('pts.close.title')}>
      <h2>{t('pts.close.title')}</h2>
      <p className="muted small">{t('pts.close.hint')}</p>
      <div className="toolbar">
        <label className="inline-field"><span>{t('pts.close.ledger')}</span>
          <select value={ledger} onChange={(e) => setLedger(e.target.value as Ledger)}>
            <option value="responsibility">{t('pts.close.ledger.responsibility')}</option>
            <option value="credit">{t('pts.close.ledger.credit')}</option>
          </select>
        </label>
        <label className="inline-field"><span>{t('pts.year')}</span>
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>{[last, last - 1, last - 2].map((y) => <option key={y} value={y}>{y}</option>)}</select>
        </label>
        <button type="button" className="btn danger" disabled={busy} onClick={close}>{t('pts.close.run', { year })}</button>
      </div>
      <ErrorPanel error={error} />
      {done && <p className="badge ok">{done}</p>}
      <h3>{t('pts.close.closed')}</h3>
      {years.data && (years.data.items.length === 0 ? <p className="muted small">{t('pts.close.none')}</p> : (
        <ul className="small">{years.data.items.map((y) => <li key={`${y.ledger}-${y.year}`}>{y.year} · {t(`pts.close.ledger.${y.ledger}`)} · {y.closedBy} · {localTime(y.closedAt)}</li>)}</ul>
      ))}
    </section>
  );
}

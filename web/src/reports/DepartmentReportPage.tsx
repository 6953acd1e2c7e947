import { useMemo, useState } from 'react';
import { departmentReport, downloadDepartmentReport, OVERDUE_PAGE, type DepartmentReportRow } from '../api/reports.ts';
import { Pager } from '../components/Pager.tsx';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { localTime, rankChange } from '../evaluation/format.ts';
import { reportPeriods, type ReportPeriod } from './periods.ts';

/**
 * 部门通报: the half-monthly and monthly report of every department's handling (派遣, 按期处置, 超时, 返工 …),
 * ranked by on-time rate, with the overdue cases listed. A department's own row is marked and its
 * overdue cases can be picked out: this is the page its head reads twice a month.
 */
export function DepartmentReportPage() {
  const { t, num, lang } = useI18n();
  const { me } = useSession();
  const [period, setPeriod] = useState('');
  const [onlyMine, setOnlyMine] = useState(false);
  const [overdueOffset, setOverdueOffset] = useState(0);
  const [error, setError] = useState<unknown>(undefined);
  const periods = useMemo(() => reportPeriods(Date.now()), []);
  const mineIds = (me?.grants ?? []).flatMap((g) => (g.role === 'department' && g.departmentId !== null ? [g.departmentId] : []));
  const mine = new Set(mineIds);
  // The overdue cases are paged by the server (a city's month has tens of thousands), and picked out there too.
  const report = useApi((signal) => departmentReport(period, { offset: overdueOffset, departmentIds: onlyMine ? mineIds : undefined }, signal), [period, overdueOffset, onlyMine, mineIds.join(',')]);
  const r = report.data;
  const overdue = r?.overdueCases ?? [];
  const choosePeriod = (code: string) => { setPeriod(code); setOverdueOffset(0); };
  const label = (p: ReportPeriod) => t(p.half === null ? 'reports.periodMonth' : p.half === 1 ? 'reports.periodH1' : 'reports.periodH2', { year: p.year, month: p.month, mm: String(p.month).padStart(2, '0') });
  const download = (format: 'xlsx' | 'pdf') => { setError(undefined); downloadDepartmentReport(r?.period.code ?? period, format).catch(setError); };

  return (
    <div className="page">
      <PageHeader title={r?.title ?? t('reports.title')}>
        {report.loading && <Loading inline />}
        <button type="button" className="btn" disabled={!r} onClick={() => download('xlsx')}>XLSX</button>
        <button type="button" className="btn" disabled={!r} onClick={() => download('pdf')}>PDF</button>
      </PageHeader>
      <div className="toolbar">
        <label className="inline-field"><span>{t('reports.period')}</span>
          <select value={period} onChange={(e) => choosePeriod(e.target.value)}>
            <option value="">{t('reports.lastMonth')}</option>
            {periods.map((p) => <option key={p.code} value={p.code}>{label(p)}</option>)}
          </select>
        </label>
        {r && <span className="muted small">{t('reports.asOf', { time: localTime(r.asOf) })} · {t('reports.rankedBy', { indicator: lang === 'zh' ? r.ranking.zh : r.ranking.en })}</span>}
      </div>
      <ErrorPanel error={report.error ?? error} />
      {r ? (
        <>
          <div className="table-scroll">
            <table className="grid-table report-table" aria-label={t('reports.ranking')}>
              <thead>
                <tr>
                  <th>{t('reports.rank')}</th><th>{t('reports.change')}</th><th>{t('reports.department')}</th>
                  <th>{t('reports.dispatched')}</th><th>{t('reports.dueToHandle')}</th><th>{t('reports.handled')}</th><th>{t('reports.handledOnTime')}</th>
                  <th>{t('reports.overdue')}</th><th>{t('reports.reworked')}</th><th>{t('reports.extended')}</th><th>{t('reports.returned')}</th>
                  <th>{t('reports.handlingRate')}</th><th>{t('reports.onTimeRate')}</th><th>{t('reports.reworkRate')}</th><th>{t('reports.closingRate')}</th>
                </tr>
              </thead>
              <tbody>
                {r.rows.map((row) => <Row key={row.department.id} row={row} own={mine.has(row.department.id)} />)}
                <tr className="totals">
                  <td colSpan={3}>{t('reports.totals')}</td>
                  {(['dispatched', 'dueToHandle', 'handled', 'handledOnTime', 'overdue', 'reworked', 'extended', 'returned'] as const).map((k) => <td key={k} className="num">{num(r.totals[k])}</td>)}
                  <td className="num">{r.totals.handlingRate.text}</td><td className="num">{r.totals.onTimeHandlingRate.text}</td>
                  <td className="num">{r.totals.reworkRate.text}</td><td className="num">{r.totals.closingRate.text}</td>
                </tr>
              </tbody>
            </table>
          </div>
          {r.rows.length === 0 && <Empty />}
          <h3 className="section-title">
            {t('reports.overdueCases', { n: num(r.overdueTotal) })}
            {mine.size > 0 && (
              <label className="inline-check"><input type="checkbox" checked={onlyMine} onChange={(e) => { setOnlyMine(e.target.checked); setOverdueOffset(0); }} /> {t('reports.onlyMine')}</label>
            )}
          </h3>
          {r.overdueTotal > OVERDUE_PAGE && <Pager total={r.overdueTotal} limit={OVERDUE_PAGE} offset={r.overdueOffset} onChange={setOverdueOffset} />}
          {overdue.length === 0 ? <Empty>{t('reports.noOverdue')}</Empty> : (
            <table className="grid-table" aria-label={t('reports.overdueList')}>
              <thead><tr><th>{t('cases.code')}</th><th>{t('reports.department')}</th><th>{t('cases.class')}</th><th>{t('cases.where')}</th><th>{t('reports.dispatchedAt')}</th><th>{t('reports.dueAt')}</th><th>{t('reports.handledAt')}</th><th>{t('cases.state')}</th><th>{t('reports.hoursLate')}</th></tr></thead>
              <tbody>
                {overdue.map((c) => (
                  <tr key={c.code}>
                    <td className="mono">{c.code}</td><td>{c.department}</td><td>{c.className}</td><td>{c.street} · {c.address ?? ''}</td>
                    <td className="mono">{localTime(c.dispatchedAt)}</td><td className="mono">{localTime(c.dueAt)}</td><td className="mono">{localTime(c.handledAt)}</td>
                    <td>{c.state}</td><td className="num">{c.hoursLate.toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ul className="notes muted small">{r.notes.map((n, i) => <li key={i}>{n}</li>)}</ul>
        </>
      ) : !report.error && <Loading />}
    </div>
  );
}

function Row({ row, own }: { row: DepartmentReportRow; own: boolean }) {
  const { t, num } = useI18n();
  return (
    <tr className={own ? 'own' : ''} aria-current={own ? 'true' : undefined}>
      <td className="num">{row.rank === null ? '—' : `${row.rank}${row.tied ? t('reports.tied') : ''}`}</td>
      <td className="num">{rankChange(row.rankChange)}</td>
      <td>{row.department.name}{own && <span className="badge ok">{t('reports.mine')}</span>}</td>
      {(['dispatched', 'dueToHandle', 'handled', 'handledOnTime', 'overdue', 'reworked', 'extended', 'returned'] as const).map((k) => <td key={k} className="num">{num(row[k])}</td>)}
      <td className="num">{row.handlingRate.text}</td><td className="num">{row.onTimeHandlingRate.text}</td>
      <td className="num">{row.reworkRate.text}</td><td className="num">{row.closingRate.text}</td>
    </tr>
  );
}

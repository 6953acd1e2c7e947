import { Fragment, useState } from 'react';
import { getTrace } from '../api/evaluation.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { localTime, money, percent, points, score, signed } from './format.ts';
import { useSession } from '../shell/session.tsx';
import { PhotoThumb } from '../components/PhotoThumb.tsx';
import { AppealForm, type AppealTarget } from './AppealForms.tsx';

/** Every point of a unit's score, back to its evidence: components, deductions item by item, findings and their cases, entries, rulings. */
export function UnitTrace({ runId, unitCode }: { runId: number; unitCode: string }) {
  const { t, lang } = useI18n();
  const trace = useApi((signal) => getTrace(runId, unitCode, signal), [runId, unitCode]);
  const d = trace.data;
  const { can } = useSession();
  const [filed, setFiled] = useState<number | null>(null);
  const [appealing, setAppealing] = useState<AppealTarget | null>(null);
  // The unit's own government appeals while the result is preliminary; the server checks the unit and the window.
  const mayAppeal = d?.run.state === 'preliminary' && can('evaluation.appeal');
  const pendingOn = new Set((d?.appeals ?? []).filter((a) => a.outcome === null).map((a) => (a.findingId !== null ? `f${a.findingId}` : `e${a.entryCode}`)));
  const appealButton = (target: AppealTarget, key: string) => (mayAppeal && !pendingOn.has(key)
    ? <button type="button" className="btn" onClick={() => { setFiled(null); setAppealing(target); }}>{t('evaluation.appeal')}</button>
    : pendingOn.has(key) ? <span className="badge warn">{t('evaluation.pending')}</span> : null);
  const form = (target: AppealTarget, colSpan: number) => (
    <tr><td colSpan={colSpan}>
      <AppealForm runId={runId} unitCode={unitCode} target={target} onCancel={() => setAppealing(null)} onFiled={(id) => { setFiled(id); setAppealing(null); trace.reload(); }} />
    </td></tr>
  );
  const isOpen = (target: AppealTarget) => appealing !== null && JSON.stringify(appealing) === JSON.stringify(target);
  const name = (code: string) => (d?.names[code] ? d.names[code]![lang === 'zh' ? 'zh' : 'en'] : code);
  return (
    <div className="page">
      <PageHeader title={d ? `${d.unit.name} · ${d.run.period} ${t('evaluation.trace')}` : t('evaluation.trace')}>
        <Link to="/evaluation" params={{ run: runId }}>{t('evaluation.backToRun')}</Link>
        {trace.loading && <Loading inline />}
      </PageHeader>
      <ErrorPanel error={trace.error} />
      {filed !== null && <div className="notice" role="status">{t('evaluation.appealFiled', { id: filed })}</div>}
      {d && (
        <>
          <div className="summary-line">
            <span>{t('evaluation.total')} <strong>{score(d.total)}</strong></span>
            <span>{t('evaluation.rank')} <strong>{d.rank ?? '—'}</strong></span>
            <span>{t('evaluation.amount')} <strong>{money(d.amountYuan)}</strong></span>
            <span>{t('evaluation.rectificationRate')} <strong>{percent(d.score.rectification.rate)}</strong> ({d.score.rectification.rectifiedOnTime}/{d.score.rectification.due})</span>
          </div>
          <h2 className="section-title">{t('evaluation.components')}</h2>
          <table className="grid-table compact" style={{ maxWidth: 760 }}>
            <thead><tr><th>{t('evaluation.component')}</th><th className="num">{t('evaluation.weight')}</th><th className="num">{t('evaluation.score')}</th><th className="num">{t('evaluation.weighted')}</th></tr></thead>
            <tbody>
              {d.score.components.map((c) => (
                <tr key={c.code}><td>{name(c.code)}</td><td className="num">{c.weight}%</td><td className="num">{score(c.score)}</td>
                  <td className="num">{c.score === null ? t('evaluation.notScored') : (c.weight * c.score / d.score.scoredWeight).toFixed(2)}</td></tr>
              ))}
              <tr><td colSpan={3}>{t('evaluation.base')} ({t('evaluation.scoredWeight')} {d.score.scoredWeight}%)</td><td className="num strong">{score(d.score.base)}</td></tr>
              {d.score.adjustments.map((a) => <tr key={a.code}><td colSpan={3}>{name(a.code)} ({t('evaluation.entered')} {a.entered})</td><td className="num">{signed(a.points)}</td></tr>)}
              {d.score.handicap !== 0 && <tr><td colSpan={3}>{t('evaluation.handicap')}{d.handicapReason ? `: ${d.handicapReason}` : ''}</td><td className="num">{points(d.score.handicap)}</td></tr>}
              <tr><td colSpan={3} className="strong">{t('evaluation.total')}</td><td className="num strong">{score(d.total)}</td></tr>
            </tbody>
          </table>
          <h2 className="section-title">{t('evaluation.deductions')} ({t('evaluation.sampledPoints')} {d.score.inspection.sampledPoints})</h2>
          <table className="grid-table compact" style={{ maxWidth: 760 }}>
            <thead><tr><th>{t('evaluation.item')}</th><th className="num">{t('evaluation.occurrences')}</th><th className="num">{t('evaluation.raw')}</th><th className="num">{t('evaluation.deduction')}</th><th className="num">{t('evaluation.cap')}</th><th /></tr></thead>
            <tbody>
              {d.score.inspection.items.map((i) => (
                <tr key={i.itemCode}><td>{i.itemCode} {i.zh}</td><td className="num">{i.occurrences}</td><td className="num">{i.raw.toFixed(2)}</td><td className="num">−{i.deduction.toFixed(2)}</td><td className="num">{i.cap}</td>
                  <td>{i.warning ? <span className="badge warn">{t('evaluation.warning')} {(i.lostShare * 100).toFixed(1)}%</span> : ''}</td></tr>
              ))}
            </tbody>
          </table>
          <h2 className="section-title">{t('evaluation.findings')}</h2>
          <table className="grid-table compact">
            <thead><tr><th>#</th><th>{t('evaluation.item')}</th><th className="num">{t('evaluation.occurrences')}</th><th>{t('evaluation.point')}</th><th>{t('evaluation.foundAt')}</th><th>{t('evaluation.case')}</th><th /></tr></thead>
            <tbody>
              {d.findings.map((f) => (
                <Fragment key={f.id}>
                <tr className={f.voidedByAppealId ? 'inactive' : ''}>
                  <td className="mono">{f.id}</td><td>{f.itemCode}</td><td className="num">{f.occurrences}</td><td className="mono">{f.point.grid} #{f.point.seq}</td><td className="mono">{localTime(f.foundAt)}</td>
                  <td>{f.case ? <span className="mono" title={f.case.state}>{f.case.code}</span> : '—'} {f.case?.onTime === true ? <span className="badge ok">{t('evaluation.rectifiedOnTime')}</span> : f.case?.onTime === false ? <span className="badge warn">{t('evaluation.rectifiedLate')}</span> : ''}</td>
                  <td>{f.voidedByAppealId ? <span className="badge plain">{t('evaluation.voided', { id: f.voidedByAppealId })}</span> : appealButton({ findingId: f.id }, `f${f.id}`)}</td>
                </tr>
                {isOpen({ findingId: f.id }) && form({ findingId: f.id }, 7)}
                </Fragment>
              ))}
            </tbody>
          </table>
          {d.entries.length > 0 && (
            <>
              <h2 className="section-title">{t('evaluation.entries')}</h2>
              <table className="grid-table compact wrap" style={{ maxWidth: 900 }}>
                <thead><tr><th>{t('evaluation.component')}</th><th className="num">{t('evaluation.value')}</th><th>{t('evaluation.reason')}</th><th>{t('evaluation.enteredAt')}</th><th /></tr></thead>
                <tbody>{d.entries.map((e) => (
                  <Fragment key={e.code}>
                    <tr><td>{name(e.code)}</td><td className="num">{e.value}</td><td>{e.reason}</td><td className="mono">{localTime(e.enteredAt)}</td><td>{appealButton({ entryCode: e.code }, `e${e.code}`)}</td></tr>
                    {isOpen({ entryCode: e.code }) && form({ entryCode: e.code }, 5)}
                  </Fragment>
                ))}</tbody>
              </table>
            </>
          )}
          {d.appeals.length > 0 && (
            <>
              <h2 className="section-title">{t('evaluation.appeals')}</h2>
              <ul className="plain-list">
                {d.appeals.map((a) => (
                  <li key={a.id}>#{a.id} {a.text} — {a.outcome ? t(`evaluation.outcome.${a.outcome}` as 'evaluation.outcome.upheld') : t('evaluation.pending')}{a.ruling ? `:${a.ruling}` : ''}
                    {a.evidence.length > 0 && <span className="thumbs">{a.evidence.map((id) => <PhotoThumb key={id} id={id} label={t('evaluation.evidence')} small />)}</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}

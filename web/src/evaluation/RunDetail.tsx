import { Fragment, useState, type FormEvent } from 'react';
import { actOnRun, downloadReport, getRun, setEntry, type RunView } from '../api/evaluation.ts';
import { PhotoThumb } from '../components/PhotoThumb.tsx';
import { RulingForm } from './AppealForms.tsx';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { STATE_BADGE } from './EvaluationPage.tsx';
import { localTime, money, points, rankChange, rankText, score, signed } from './format.ts';
import { useSubmit } from '../hooks/useSubmit.ts';

/** One month's result: its state and the office's next steps, the ranking table, the settlement list, appeals and history. */
export function RunDetail({ runId }: { runId: number }) {
  const { t, lang } = useI18n();
  const run = useApi((signal) => getRun(runId, signal), [runId]);
  const { busy, error, setError, run: submit } = useSubmit();
  // A correction (更正) needs its reason, published with the new version: asked for in a form first.
  const [correcting, setCorrecting] = useState(false);
  const [correction, setCorrection] = useState('');
  const act = async (view: RunView, action: string, reason?: string) => {
    if (action === 'correct' && reason === undefined) { setCorrecting(true); return; }
    await submit(async () => {
      const next = await actOnRun(view.id, action, { reason, expectedLock: view.lockVersion });
      setCorrecting(false);
      if (next.id !== view.id) window.location.hash = `#/evaluation?run=${next.id}`;
      else run.reload();
    });
  };
  const v = run.data;
  const [ruling, setRuling] = useState<number | null>(null);
  const file = v ? `evaluation-${v.scheme.code}-${v.period.code}-v${v.version}` : '';
  return (
    <div className="page">
      <PageHeader title={v ? `${lang === 'zh' ? v.period.zh : v.period.en} ${v.parent.name} ${t('evaluation.result')}` : t('evaluation.title')}>
        <Link to="/evaluation">{t('evaluation.allRuns')}</Link>
        {run.loading && <Loading inline />}
      </PageHeader>
      <ErrorPanel error={run.error ?? error} />
      {v && (
        <>
          <div className="toolbar">
            <span className={`badge ${STATE_BADGE[v.state] ?? 'plain'}`}>{lang === 'zh' ? v.stateName.zh : v.stateName.en}</span>
            <span>{v.scheme.name} · v{v.version}{v.reason ? ` · ${t('evaluation.correction')}: ${v.reason}` : ''}</span>
            {v.appealDeadline && <span className="muted">{t('evaluation.appealDeadline')}: {localTime(v.appealDeadline)}</span>}
            <span className="grow" />
            {v.actions.map((a) => (
              <button key={a} type="button" className="btn" disabled={busy} onClick={() => act(v, a)}>{t(`evaluation.action.${a}` as 'evaluation.action.issue')}</button>
            ))}
            <button type="button" className="btn" onClick={() => downloadReport(v.id, 'xlsx', file).catch(setError)}>XLSX</button>
            <button type="button" className="btn" onClick={() => downloadReport(v.id, 'pdf', file).catch(setError)}>PDF</button>
          </div>
          {correcting && v.actions.includes('correct') && (
            <form className="action-form" aria-label={t('evaluation.action.correct')} onSubmit={(e) => { e.preventDefault(); void act(v, 'correct', correction.trim()); }}>
              <label className="field"><span>{t('evaluation.correctReason')}</span><textarea rows={2} maxLength={2000} value={correction} onChange={(e) => setCorrection(e.target.value)} /></label>
              <div className="toolbar">
                <button type="submit" className="btn primary" disabled={busy}>{t('evaluation.action.correct')}</button>
                <button type="button" className="btn" onClick={() => setCorrecting(false)}>{t('cases.cancel')}</button>
              </div>
            </form>
          )}
          {v.state === 'draft' && v.actions.length > 0 && <EntryForm view={v} onDone={run.reload} />}
          <RankingTable view={v} />
          <h2 className="section-title">{t('evaluation.settlement')}</h2>
          <table className="grid-table compact" style={{ maxWidth: 640 }}>
            <thead><tr><th>{t('evaluation.unit')}</th><th>{t('evaluation.rank')}</th><th>{t('evaluation.kind')}</th><th style={{ textAlign: 'right' }}>{t('evaluation.amount')}</th></tr></thead>
            <tbody>
              {v.settlement.map((s) => (
                <tr key={s.unit.code}><td>{s.unit.name}</td><td>{s.rank ?? '—'}</td><td>{s.kind === 'reward' ? t('evaluation.reward') : t('evaluation.penalty')}</td><td className="num">{money(s.amountYuan)}</td></tr>
              ))}
            </tbody>
          </table>
          {v.appeals.length > 0 && (
            <>
              <h2 className="section-title">{t('evaluation.appeals')}</h2>
              <table className="grid-table compact wrap">
                <thead><tr><th style={{ width: 120 }}>{t('evaluation.unit')}</th><th>{t('evaluation.appealText')}</th><th style={{ width: 110 }}>{t('evaluation.outcome')}</th><th>{t('evaluation.ruling')}</th></tr></thead>
                <tbody>
                  {v.appeals.map((a) => (
                    <Fragment key={a.id}>
                      <tr><td>{a.unit.name}</td>
                        <td>{a.text}{a.evidence.length > 0 && <span className="thumbs">{a.evidence.map((id) => <PhotoThumb key={id} id={id} label={t('evaluation.evidence')} small />)}</span>}</td>
                        <td>{a.outcome ? t(`evaluation.outcome.${a.outcome}` as 'evaluation.outcome.upheld') : v.state === 'preliminary' && v.actions.includes('finalize')
                          ? <button type="button" className="btn" onClick={() => setRuling(a.id)}>{t('evaluation.rule')}</button>
                          : t('evaluation.pending')}</td>
                        <td>{a.ruling ?? ''}</td></tr>
                      {ruling === a.id && (
                        <tr><td colSpan={4}><RulingForm appealId={a.id} entryCode={a.entryCode} onCancel={() => setRuling(null)} onRuled={() => { setRuling(null); run.reload(); }} /></td></tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h2 className="section-title">{t('evaluation.history')}</h2>
          <ul className="plain-list">
            {v.events.map((e, i) => <li key={i}><span className="mono">{localTime(e.at)}</span> {e.actor} · {t(`evaluation.event.${e.action}` as 'evaluation.event.open')}{e.reason ? ` · ${e.reason}` : ''}</li>)}
          </ul>
          {v.versions.length > 1 && (
            <p className="muted">{t('evaluation.versions')}: {v.versions.map((x) => <Link key={x.id} to="/evaluation" params={{ run: x.id }}>v{x.version} </Link>)}</p>
          )}
        </>
      )}
      {!v && !run.error && <Loading />}
    </div>
  );
}

function RankingTable({ view }: { view: RunView }) {
  const { t } = useI18n();
  return (
    <table className="grid-table">
      <thead>
        <tr>
          <th style={{ width: 70 }}>{t('evaluation.rank')}</th>
          <th>{t('evaluation.unit')}</th>
          <th className="num">{t('evaluation.total')}</th>
          <th className="num">{t('evaluation.change')}</th>
          <th>{t('evaluation.rankChange')}</th>
          {view.components.map((c) => <th key={c.code} className="num">{view.componentNames[c.code] ?? c.code} ({c.weight}%)</th>)}
          <th className="num">{t('evaluation.adjustments')}</th>
          <th className="num">{t('evaluation.handicap')}</th>
          <th className="num">{t('evaluation.amount')}</th>
          <th>{t('evaluation.warnings')}</th>
        </tr>
      </thead>
      <tbody>
        {view.ranking.map((r) => (
          <tr key={r.unit.code}>
            <td>{rankText(r.rank, r.tied, t('evaluation.tied'))}</td>
            <td><Link to="/evaluation" params={{ run: view.id, unit: r.unit.code }}>{r.unit.name}</Link></td>
            <td className="num strong">{score(r.total)}</td>
            <td className="num">{signed(r.change.total)}</td>
            <td>{rankChange(r.change.rank)}</td>
            {r.components.map((c) => <td key={c.code} className="num">{score(c.score)}</td>)}
            <td className="num">{points(r.adjustments.reduce((s, a) => s + a.points, 0))}</td>
            <td className="num">{points(r.handicap)}</td>
            <td className="num">{money(r.amountYuan)}</td>
            <td>{r.warnings.length ? <span className="badge warn" title={r.warnings.join('\n')}>{r.warnings.length}</span> : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The office's entered scores and bonus/penalty points of a draft, each with its reason. */
function EntryForm({ view, onDone }: { view: RunView; onDone: () => void }) {
  const { t, lang } = useI18n();
  const codes = [...view.components.filter((c) => c.kind === 'entered').map((c) => ({ code: c.code, name: lang === 'zh' ? c.zh : c.en })), ...view.adjustmentItems.map((a) => ({ code: a.code, name: `${lang === 'zh' ? a.zh : a.en} (${a.kind === 'bonus' ? '+' : '−'}≤${a.cap})` }))];
  const [unitCode, setUnitCode] = useState(view.ranking[0]?.unit.code ?? '');
  const [code, setCode] = useState(codes[0]?.code ?? '');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  if (codes.length === 0) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await setEntry(view.id, { unitCode, code, value: Number(value), reason });
      setValue('');
      setReason('');
      onDone();
    } catch (cause) { setError(cause); }
  };
  return (
    <form className="toolbar entry-form" onSubmit={submit} aria-label={t('evaluation.entries')}>
      <strong>{t('evaluation.entries')}</strong>
      <select value={unitCode} onChange={(e) => setUnitCode(e.target.value)} aria-label={t('evaluation.unit')}>{view.ranking.map((r) => <option key={r.unit.code} value={r.unit.code}>{r.unit.name}</option>)}</select>
      <select value={code} onChange={(e) => setCode(e.target.value)} aria-label={t('evaluation.component')}>{codes.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}</select>
      <input value={value} inputMode="decimal" placeholder={t('evaluation.value')} onChange={(e) => setValue(e.target.value)} aria-label={t('evaluation.value')} style={{ width: 80 }} />
      <input value={reason} placeholder={t('evaluation.reason')} onChange={(e) => setReason(e.target.value)} aria-label={t('evaluation.reason')} className="grow" />
      <button type="submit" className="btn primary">{t('cases.confirm')}</button>
      <ErrorPanel error={error} />
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { closeRound, getRound, listRounds, listSchemes, openRound, openRun } from '../api/evaluation.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link, navigate, useRoute } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from './format.ts';
import { RoundFindings } from './RoundFindings.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';

/** 暗访轮次: the office opens a month's round (the 双随机 draw, its seed recorded), reviews its findings (photo, GPS, the case each opened) and points, closes it, and opens the month's evaluation. */
export function RoundsPage() {
  const route = useRoute();
  const id = Number(route.params.get('round') ?? 0);
  return id ? <RoundView id={id} /> : <RoundList />;
}

function RoundList() {
  const { t } = useI18n();
  const rounds = useApi((signal) => listRounds(signal), []);
  const schemes = useApi((signal) => listSchemes(signal), []);
  const codes = [...new Set(schemes.data?.items.map((s) => s.code) ?? [])];
  const [schemeCode, setSchemeCode] = useState('');
  const [period, setPeriod] = useState('');
  const [seed, setSeed] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const act = async (what: 'round' | 'run', event?: FormEvent) => {
    event?.preventDefault();
    await run(async () => {
      const code = schemeCode || codes[0] || '';
      if (what === 'round') {
        const r = await openRound({ schemeCode: code, period: period.trim(), ...(seed.trim() ? { seed: Number(seed) } : {}) });
        navigate('/evaluation/rounds', { round: r.id });
      } else {
        const run = await openRun({ schemeCode: code, period: period.trim() });
        navigate('/evaluation', { run: run.id });
      }
    });
  };
  return (
    <div className="page">
      <PageHeader title={t('rounds.title')}><Link to="/evaluation">{t('evaluation.allRuns')}</Link></PageHeader>
      <form className="toolbar" onSubmit={(e) => act('round', e)} aria-label={t('rounds.open')}>
        <label className="inline-field"><span>{t('evaluation.scheme')}</span>
          <select value={schemeCode} onChange={(e) => setSchemeCode(e.target.value)}>{codes.map((c) => <option key={c} value={c}>{c}</option>)}</select>
        </label>
        <label className="inline-field"><span>{t('evaluation.period')}</span><input value={period} placeholder="2026-11" onChange={(e) => setPeriod(e.target.value)} /></label>
        <label className="inline-field"><span>{t('rounds.seed')}</span><input value={seed} inputMode="numeric" placeholder={t('rounds.seedHint')} onChange={(e) => setSeed(e.target.value)} /></label>
        <button type="submit" className="btn primary" disabled={busy || codes.length === 0}>{t('rounds.open')}</button>
        <button type="button" className="btn" disabled={busy || codes.length === 0} onClick={() => act('run')}>{t('rounds.openRun')}</button>
      </form>
      <ErrorPanel error={error ?? rounds.error} />
      {rounds.data ? (
        <table className="grid-table">
          <thead><tr><th>#</th><th>{t('evaluation.period')}</th><th>{t('evaluation.scheme')}</th><th>{t('rounds.seed')}</th><th className="num">{t('rounds.points')}</th><th className="num">{t('rounds.findings')}</th><th>{t('evaluation.state')}</th><th>{t('rounds.openedAt')}</th></tr></thead>
          <tbody>{rounds.data.items.map((r) => (
            <tr key={r.id}><td><Link to="/evaluation/rounds" params={{ round: r.id }}>{r.id}</Link></td><td>{r.period}</td><td>{r.scheme.name}</td><td className="mono">{r.seed}</td><td className="num">{r.points}</td><td className="num">{r.findings}</td><td>{t(`rounds.state.${r.state}` as 'rounds.state.open')}</td><td className="mono">{localTime(r.openedAt)}</td></tr>
          ))}</tbody>
        </table>
      ) : <Loading />}
    </div>
  );
}

function RoundView({ id }: { id: number }) {
  const { t } = useI18n();
  const round = useApi((signal) => getRound(id, signal), [id]);
  const [error, setError] = useState<unknown>(undefined);
  const r = round.data;
  return (
    <div className="page">
      <PageHeader title={r ? `${t('rounds.title')} #${r.id} · ${r.period} · ${r.scheme.name}` : t('rounds.title')}><Link to="/evaluation/rounds">{t('rounds.all')}</Link></PageHeader>
      <ErrorPanel error={error ?? round.error} />
      {r && (
        <>
          <div className="toolbar">
            <span>{t('rounds.seed')} <span className="mono">{r.seed}</span></span>
            <span>{t(`rounds.state.${r.state}` as 'rounds.state.open')}</span>
            <span className="grow" />
            {r.state === 'open' && <button type="button" className="btn" onClick={() => closeRound(r.id).then(round.reload, setError)}>{t('rounds.close')}</button>}
          </div>
          <RoundFindings round={r} />
          <h2 className="section-title">{t('review.points')}</h2>
          <table className="grid-table compact">
            <thead><tr><th>{t('evaluation.unit')}</th><th>#</th><th>{t('evaluation.point')}</th><th>{t('rounds.evaluator')}</th><th>{t('rounds.findings')}</th></tr></thead>
            <tbody>{r.points.map((p) => (
              <tr key={p.id}><td>{p.unit.name}</td><td>{p.seq}</td><td className="mono">{p.grid.code}</td><td>{p.evaluator.name}</td>
                <td>{p.findings.map((f) => <span key={f.id} className={`badge ${f.voided ? 'plain' : 'warn'}`}>{f.itemCode}×{f.occurrences}</span>)}</td></tr>
            ))}</tbody>
          </table>
        </>
      )}
    </div>
  );
}

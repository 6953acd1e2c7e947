import { useState, type FormEvent } from 'react';
import { getReport, rateReport, trackingKeys, type PublicReport } from '../api/portal.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { navigate, useRoute } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';

/** 进度查询: a report by its number; its reporter rates the outcome once it is closed. */
export function TrackPage() {
  const { t } = useI18n();
  const route = useRoute();
  const code = route.params.get('code') ?? '';
  const [input, setInput] = useState(code);
  const submit = (event: FormEvent) => { event.preventDefault(); if (input.trim()) navigate('/public/track', { code: input.trim() }); };
  return (
    <div className="portal-card">
      <h1>{t('portal.nav.track')}</h1>
      <form className="toolbar" onSubmit={submit}>
        <label className="inline-field grow"><span>{t('portal.number')}</span><input value={input} onChange={(e) => setInput(e.target.value)} inputMode="numeric" /></label>
        <button type="submit" className="btn">{t('portal.look')}</button>
      </form>
      {code && <ReportView key={code} code={code} />}
    </div>
  );
}

function ReportView({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const report = useApi((signal) => getReport(code, signal), [code]);
  const [rated, setRated] = useState<PublicReport | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const r = rated ?? report.data;
  const key = trackingKeys.get(code);
  const rate = async (satisfaction: string) => {
    try { setRated(await rateReport(code, key!, satisfaction)); } catch (cause) { setError(cause); }
  };
  if (report.loading && !r) return <Loading />;
  if (!r) return <ErrorPanel error={report.error} />;
  return (
    <section className="report-view">
      <p><span className={`badge ${r.status === 'closed' ? 'ok' : 'warn'}`}>{lang === 'zh' ? r.stateName.zh : r.stateName.en}</span> <strong>{r.class.name}</strong> <span className="mono">{r.code}</span></p>
      <p>{r.description}</p>
      <dl className="facts">
        <dt>{t('portal.reportedAt')}</dt><dd>{localTime(r.reportedAt)}</dd>
        {r.department && <><dt>{t('portal.department')}</dt><dd>{r.department}</dd></>}
        {r.expectedAt && <><dt>{t('portal.expectedAt')}</dt><dd>{localTime(r.expectedAt)}</dd></>}
        {r.closedAt && <><dt>{t('portal.closedAt')}</dt><dd>{localTime(r.closedAt)}</dd></>}
      </dl>
      <ol className="steps">
        {r.steps.map((s, i) => <li key={i}><span className="mono">{localTime(s.at)}</span> {lang === 'zh' ? s.label.zh : s.label.en}{s.reason ? `:${s.reason}` : ''}</li>)}
      </ol>
      {r.satisfaction && <p>{t('portal.yourRating')}: {t(`portal.rating.${r.satisfaction}` as 'portal.rating.satisfied')}</p>}
      {r.canRate && key && (
        <div className="toolbar" role="group" aria-label={t('portal.rateIt')}>
          <span>{t('portal.rateIt')}</span>
          {['satisfied', 'basically_satisfied', 'dissatisfied'].map((s) => <button key={s} type="button" className="btn" onClick={() => rate(s)}>{t(`portal.rating.${s}` as 'portal.rating.satisfied')}</button>)}
        </div>
      )}
      <ErrorPanel error={error} />
    </section>
  );
}

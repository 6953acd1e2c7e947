import { listJobs } from '../api/jobs.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';

/** 运行维护: the scheduled jobs, how often each runs, and its last run (which app process, when, what it did or why it failed). */
export function JobsPage() {
  const { t, lang } = useI18n();
  const jobs = useApi((signal) => listJobs(signal), []);
  const every = (ms: number) => (ms % 3_600_000 === 0 ? t('jobs.everyHours', { n: ms / 3_600_000 }) : t('jobs.everyMinutes', { n: Math.round(ms / 60_000) }));
  return (
    <div className="page">
      <PageHeader title={t('jobs.title')}>
        {jobs.loading && <Loading inline />}
        <button type="button" className="btn" onClick={jobs.reload}>{t('jobs.refresh')}</button>
      </PageHeader>
      <p className="muted small">{t('jobs.intro')}</p>
      <ErrorPanel error={jobs.error} />
      {jobs.data && (
        <table className="grid-table" aria-label={t('jobs.title')}>
          <thead><tr><th>{t('jobs.job')}</th><th>{t('jobs.every')}</th><th>{t('jobs.lastRun')}</th><th>{t('jobs.host')}</th><th>{t('jobs.outcome')}</th></tr></thead>
          <tbody>
            {jobs.data.items.map((j) => (
              <tr key={j.name}>
                <td>{lang === 'zh' ? j.zh : j.name} <span className="mono muted small">{j.name}</span></td>
                <td>{every(j.everyMs)}</td>
                <td className="mono">{j.last ? localTime(j.last.startedAt) : '—'}</td>
                <td className="mono">{j.last?.host ?? '—'}</td>
                <td>{!j.last ? <span className="muted">{t('jobs.never')}</span>
                  : j.last.error ? <span className="badge warn">{j.last.error}</span>
                  : j.last.finishedAt === null ? <span className="badge plain">{t('jobs.running')}</span>
                  : <span className="mono small">{JSON.stringify(j.last.result)}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

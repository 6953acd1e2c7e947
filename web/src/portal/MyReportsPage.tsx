import { api } from '../api/client.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';

interface MyReport { code: string; stateLabel: string; class: { name: string }; address: string | null; reportedAt: string; department: string | null; satisfaction: string | null }

/** 我的上报: a signed-in citizen's own reports, each followed on the public page (and rated there once closed). */
export function MyReportsPage() {
  const { t } = useI18n();
  const reports = useApi((signal) => api.get<{ total: number; items: MyReport[] }>('/api/me/reports', { limit: 100 }, signal), []);
  return (
    <div className="page">
      <PageHeader title={t('nav.myReports')}><a className="btn primary" href="#/public/report">{t('portal.nav.report')}</a></PageHeader>
      <ErrorPanel error={reports.error} />
      {reports.data ? (reports.data.items.length === 0 ? <Empty>{t('myReports.none')}</Empty> : (
        <table className="grid-table">
          <thead><tr><th>{t('portal.number')}</th><th>{t('cases.class')}</th><th>{t('cases.where')}</th><th>{t('cases.state')}</th><th>{t('portal.reportedAt')}</th><th>{t('portal.department')}</th></tr></thead>
          <tbody>{reports.data.items.map((r) => (
            <tr key={r.code}><td className="mono"><a href={`#/public/track?code=${r.code}`}>{r.code}</a></td><td>{r.class.name}</td><td>{r.address ?? ''}</td><td>{r.stateLabel}</td><td className="mono">{localTime(r.reportedAt)}</td><td>{r.department ?? ''}</td></tr>
          ))}</tbody>
        </table>
      )) : <Loading />}
    </div>
  );
}

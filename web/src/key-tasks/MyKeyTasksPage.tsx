import { listAlerts, myWork, type KtWorkItem } from '../api/key-tasks.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { StatusChip, UnitNames } from './parts.tsx';

function WorkTable({ items, label }: { items: KtWorkItem[]; label: string }) {
  const { t } = useI18n();
  if (items.length === 0) return <p className="muted small">{t('kt.mine.none')}</p>;
  return (
    <table className="grid-table compact wrap" aria-label={label}>
      <thead><tr><th>{t('kt.task')}</th><th>{t('kt.milestones')}</th><th>{t('kt.deliverable')}</th><th>{t('kt.lead')}</th><th>{t('kt.status')}</th></tr></thead>
      <tbody>{items.map((m) => (
        <tr key={m.id}>
          <td><Link to="/key-tasks" params={{ task: m.task.id }}>{`${m.task.seq} ${m.task.name}`}</Link><div className="muted small">{m.plan.name}</div></td>
          <td>{m.name}</td><td>{m.deliverable}</td><td><UnitNames units={m.units} role="lead" /></td><td><StatusChip m={m} /></td>
        </tr>
      ))}</tbody>
    </table>
  );
}

/** 我的重点任务: what my unit must report on (overdue first by due date), what the office must review, and the overdue alerts. */
export function MyKeyTasksPage() {
  const { t } = useI18n();
  const work = useApi((signal) => myWork(signal), []);
  const alerts = useApi((signal) => listAlerts(signal), []);
  return (
    <div className="page">
      <PageHeader title={t('kt.mine.title')}>{(work.loading || alerts.loading) && <Loading inline />}</PageHeader>
      <ErrorPanel error={work.error ?? alerts.error} />
      {work.data && (
        <>
          {(work.data.toReport.length > 0 || work.data.toReview.length === 0) && <section className="card"><h2>{t('kt.mine.toReport')}</h2><WorkTable items={work.data.toReport} label={t('kt.mine.toReport')} /></section>}
          {work.data.toReview.length > 0 && <section className="card"><h2>{t('kt.mine.toReview')}</h2><WorkTable items={work.data.toReview} label={t('kt.mine.toReview')} /></section>}
        </>
      )}
      {alerts.data && (
        <section className="card" aria-label={t('kt.alerts')}>
          <h2>{t('kt.alerts')}</h2>
          {alerts.data.items.length === 0 ? <p className="muted small">{t('kt.alerts.none')}</p> : (
            <ul className="small">{alerts.data.items.map((a) => (
              <li key={a.id}>{localTime(a.raisedAt)} · <Link to="/key-tasks" params={{ task: a.task.id }}>{`${a.task.seq} ${a.task.name}`}</Link> · {a.milestone.name} <StatusChip m={a.milestone} /></li>
            ))}</ul>
          )}
        </section>
      )}
    </div>
  );
}

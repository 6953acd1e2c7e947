import { listRuns } from '../api/evaluation.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link, useRoute } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from './format.ts';
import { RunDetail } from './RunDetail.tsx';
import { UnitTrace } from './UnitTrace.tsx';

export const STATE_BADGE: Record<string, string> = { draft: 'plain', preliminary: 'warn', final: 'warn', published: 'ok', superseded: 'plain' };

/** 综合考评: the runs one may read; a run's ranking and lifecycle; a unit's score traced to its evidence. */
export function EvaluationPage() {
  const route = useRoute();
  const run = Number(route.params.get('run') ?? 0);
  const unit = route.params.get('unit');
  if (run && unit) return <UnitTrace runId={run} unitCode={unit} />;
  if (run) return <RunDetail runId={run} />;
  return <RunList />;
}

function RunList() {
  const { t } = useI18n();
  const runs = useApi((signal) => listRuns(signal), []);
  return (
    <div className="page">
      <PageHeader title={t('evaluation.title')}>{runs.loading && <Loading inline />}</PageHeader>
      <ErrorPanel error={runs.error} />
      {runs.data ? (
        runs.data.items.length === 0 ? <Empty>{t('evaluation.noRuns')}</Empty> : (
          <table className="grid-table">
            <thead>
              <tr>
                <th style={{ width: 110 }}>{t('evaluation.period')}</th>
                <th>{t('evaluation.scheme')}</th>
                <th style={{ width: 70 }}>{t('evaluation.version')}</th>
                <th style={{ width: 160 }}>{t('evaluation.state')}</th>
                <th style={{ width: 150 }}>{t('evaluation.publishedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.map((r) => (
                <tr key={r.id}>
                  <td><Link to="/evaluation" params={{ run: r.id }}>{r.period}</Link></td>
                  <td>{r.scheme.name} <span className="muted mono">{r.scheme.code}</span></td>
                  <td>v{r.version}</td>
                  <td><span className={`badge ${STATE_BADGE[r.state] ?? 'plain'}`}>{t(`evaluation.state.${r.state}` as 'evaluation.state.draft')}</span></td>
                  <td>{localTime(r.publishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : !runs.error && <Loading />}
    </div>
  );
}

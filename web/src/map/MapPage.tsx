import { lazy, Suspense, useState } from 'react';
import { casePoints, workflowTable } from '../api/cases.ts';
import { publicTerritory } from '../api/portal.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { navigate, useRoute } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import type { MapMode } from './CaseMap.tsx';

const CaseMap = lazy(() => import('./CaseMap.tsx'));
const CellMap = lazy(() => import('./CellMap.tsx'));

/**
 * 案件地图: the cases in one's scope on the map, clustered or as a heat map, by traffic light. The open
 * cases come as points; every case (millions, over years) comes as the server's cells for the view.
 */
export function MapPage() {
  const { t } = useI18n();
  const [scope, setScope] = useState<'open' | 'all'>('open');
  const [light, setLight] = useState('');
  // The mode is in the address (#/map?mode=heat), so a heat map can be bookmarked or put on a wall screen.
  const mode: MapMode = useRoute().params.get('mode') === 'heat' ? 'heat' : 'cluster';
  const setMode = (m: MapMode) => navigate('/map', m === 'heat' ? { mode: 'heat' } : undefined, true);
  const territory = useApi((signal) => publicTerritory(signal), []);
  // The open states are the workflow table's states that are not terminal, as the server counts them.
  const workflow = useApi((signal) => workflowTable(signal), []);
  const openStates = workflow.data?.states.filter((s) => !s.terminal).map((s) => s.name).join(',');
  const points = useApi((signal) => (scope === 'open' && openStates ? casePoints({ state: openStates, light: light || undefined, limit: 200_000 }, signal) : Promise.resolve(null)), [scope, light, openStates]);
  const [cellTotal, setCellTotal] = useState<number | null>(null);
  const [cellError, setCellError] = useState<unknown>(undefined);
  const count = scope === 'open' ? (points.data ? points.data.points.length : null) : cellTotal;
  return (
    <div className="page map-page">
      <PageHeader title={t('map.title')}>
        {count !== null && <span className="muted" data-testid="map-count">{t('map.count', { n: count.toLocaleString() })}{scope === 'open' && points.data?.truncated ? ` (${t('map.truncated')})` : ''}</span>}
        {points.loading && <Loading inline />}
      </PageHeader>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label={t('map.scope')}>
          <button type="button" className={scope === 'open' ? 'active' : ''} onClick={() => setScope('open')}>{t('map.open')}</button>
          <button type="button" className={scope === 'all' ? 'active' : ''} onClick={() => { setCellTotal(null); setScope('all'); }}>{t('map.all')}</button>
        </div>
        <label className="inline-field"><span>{t('cases.lightLabel')}</span>
          <select value={light} onChange={(e) => setLight(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {(['red', 'yellow', 'green'] as const).map((l) => <option key={l} value={l}>{t(`cases.light.${l}`)}</option>)}
          </select>
        </label>
        <div className="segmented" role="group" aria-label={t('map.mode')}>
          <button type="button" className={mode === 'cluster' ? 'active' : ''} onClick={() => setMode('cluster')}>{t('map.cluster')}</button>
          <button type="button" className={mode === 'heat' ? 'active' : ''} onClick={() => setMode('heat')}>{t('map.heat')}</button>
        </div>
      </div>
      <ErrorPanel error={points.error ?? cellError ?? territory.error ?? workflow.error} />
      {territory.data && scope === 'all' ? (
        <Suspense fallback={<Loading />}><CellMap territory={territory.data} mode={mode} light={light} onTotal={(n) => { setCellTotal(n); setCellError(undefined); }} onError={setCellError} /></Suspense>
      ) : territory.data && points.data ? (
        <Suspense fallback={<Loading />}><CaseMap territory={territory.data} points={points.data.points} mode={mode} onOpen={(id) => navigate('/cases', { id })} /></Suspense>
      ) : <Loading />}
    </div>
  );
}

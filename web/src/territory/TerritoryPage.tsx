import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { CHILD_LEVEL, exportSubtree, getNode, locatePoint, type LocateResult, type TerritoryNode } from '../api/territory.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { navigate, useRoute } from '../router.ts';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';
import { Loading } from '../components/Status.tsx';
import { TerritoryTree } from './TerritoryTree.tsx';
import { NodeDetail } from './NodeDetail.tsx';
import { LocatePanel } from './LocatePanel.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { AreaClassLegend } from './AreaClassBadge.tsx';
import { LEVEL_LABEL } from './style.ts';

const TerritoryMap = lazy(() => import('./TerritoryMap.tsx'));

type Tool = 'detail' | 'locate' | 'import';

export function TerritoryPage() {
  const { t, num } = useI18n();
  const { can } = useSession();
  const canWrite = can('territory.write');
  const route = useRoute();
  const selected = route.params.get('code');

  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [refreshKey, setRefreshKey] = useState(0);
  const [tool, setTool] = useState<Tool>('detail');
  const [locating, setLocating] = useState(false);
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [located, setLocated] = useState<{ result?: LocateResult; error?: unknown; loading: boolean }>({ loading: false });
  const select = useCallback((code: string) => navigate('/territory', { code }), []);
  // A new selection (tree, map, locate result, back button) brings its details to the front.
  useEffect(() => setTool('detail'), [selected]);

  const detail = useApi((signal) => (selected ? getNode(selected, true, signal) : Promise.resolve(null)), [selected, refreshKey]);
  const node = detail.data && detail.data.code === selected ? detail.data : null;
  const childLevel = node ? CHILD_LEVEL[node.level] : null;
  const children = useApi(
    (signal) => (node && childLevel ? exportSubtree(node.code, [childLevel], signal) : Promise.resolve(null)),
    [node?.code, childLevel, refreshKey],
  );

  // Open the tree down to the selected node (also when it was picked on the map).
  useEffect(() => {
    if (!node) return;
    setExpanded((prev) => {
      const missing = node.ancestors.filter((a) => a.code !== node.code && !prev.has(a.code));
      return missing.length ? new Set([...prev, ...missing.map((a) => a.code)]) : prev;
    });
  }, [node]);

  const onRoots = useCallback((roots: TerritoryNode[]) => {
    const first = roots[0];
    if (!selected && first) navigate('/territory', { code: first.code }, true);
  }, [selected]);

  const toggle = useCallback((code: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });
  }, []);

  const onLocate = useCallback((lon: number, lat: number) => {
    setPoint([lon, lat]);
    setTool('locate');
    setLocated({ loading: true });
    locatePoint(lon, lat).then(
      (result) => setLocated({ result, loading: false }),
      (error: unknown) => setLocated({ error, loading: false }),
    );
  }, []);

  const refresh = useCallback(() => setRefreshKey((k) => k + 1), []);
  const childCount = children.data?.features.length ?? 0;

  return (
    <div className="territory-layout">
      <aside className="pane tree-pane">
        <div className="pane-title">{t('territory.tree')}</div>
        <div className="pane-body">
          <TerritoryTree selected={selected} expanded={expanded} refreshKey={refreshKey} onToggle={toggle} onSelect={select} onRoots={onRoots} />
        </div>
      </aside>

      <section className="pane map-pane">
        <div className="map-toolbar">
          <span>{node ? node.name : t('territory.noSelection')}</span>
          {node && childLevel && (
            <span className="muted">
              {children.loading || !children.data ? t('common.loading') : t('territory.childPolygons', { n: num(childCount), level: t(LEVEL_LABEL[childLevel]) })}
            </span>
          )}
          <span className="spacer" />
          <button type="button" className={locating ? 'btn small primary' : 'btn small'} onClick={() => { setLocating((v) => !v); setTool('locate'); }}>
            {locating ? t('locate.stop') : t('locate.start')}
          </button>
        </div>
        <ErrorBoundary fallback={(error) => <div className="map-failed"><ErrorPanel error={error} title={t('territory.mapFailed')} /></div>}>
          <Suspense fallback={<div className="map-wrap"><Loading /></div>}>
            <TerritoryMap focus={node} childFeatures={children.data ?? null} locating={locating} marker={point} onSelect={select} onLocate={onLocate} />
          </Suspense>
        </ErrorBoundary>
        <AreaClassLegend />
        {children.error !== undefined && <div className="map-error"><ErrorPanel error={children.error} /></div>}
      </section>

      <aside className="pane detail-pane">
        <div className="tabs">
          <button type="button" className={tool === 'detail' ? 'tab active' : 'tab'} onClick={() => setTool('detail')}>{t('territory.tabDetail')}</button>
          <button type="button" className={tool === 'locate' ? 'tab active' : 'tab'} onClick={() => setTool('locate')}>{t('territory.tabLocate')}</button>
          {canWrite && <button type="button" className={tool === 'import' ? 'tab active' : 'tab'} onClick={() => setTool('import')}>{t('territory.tabImport')}</button>}
        </div>
        <div className="pane-body padded">
          {tool === 'detail' && (
            detail.error !== undefined ? <ErrorPanel error={detail.error} />
              : node ? <NodeDetail node={node} canWrite={canWrite} onSelect={select} onSaved={refresh} />
                : selected ? <Loading /> : <div className="empty">{t('territory.noSelection')}</div>
          )}
          {tool === 'locate' && (
            <LocatePanel active={locating} onToggle={() => setLocating((v) => !v)} point={point} {...located} onSelect={select} />
          )}
          {tool === 'import' && canWrite && <ImportPanel onImported={refresh} />}
        </div>
      </aside>
    </div>
  );
}

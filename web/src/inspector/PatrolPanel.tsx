import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { TerritoryFeatureCollection } from '../api/territory.ts';
import { useI18n } from '../i18n/index.tsx';
import { navigate } from '../router.ts';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { gridAt, patrolGrids, patrolRoot } from './patrol.ts';
import { loadTasks } from './taskCache.ts';

const PatrolMap = lazy(() => import('./PatrolMap.tsx'));

/**
 * 巡查地图: the inspector's grids with the tasks waiting for a visit and where the phone is, and the grid
 * it is in. Opened on demand (the map library loads then); the grids are kept on the phone for offline use.
 */
export function PatrolPanel({ online, revision }: { online: boolean; revision: number }) {
  const { t } = useI18n();
  const { me } = useSession();
  const [open, setOpen] = useState(false);
  const [grids, setGrids] = useState<TerritoryFeatureCollection | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [position, setPosition] = useState<[number, number] | null>(null);
  const root = patrolRoot(me?.grants.find((g) => g.role === 'inspector')?.territoryPath);

  useEffect(() => {
    if (!open || !root) return;
    let alive = true;
    patrolGrids(root, online).then((g) => { if (alive) setGrids(g); }, (e: unknown) => { if (alive) setError(e); });
    return () => { alive = false; };
  }, [open, root, online]);

  useEffect(() => {
    if (!open || !('geolocation' in navigator)) return;
    const watch = navigator.geolocation.watchPosition(
      (p) => setPosition([Math.round(p.coords.longitude * 1e6) / 1e6, Math.round(p.coords.latitude * 1e6) / 1e6]),
      () => setPosition(null),
      { enableHighAccuracy: true, maximumAge: 10_000 },
    );
    return () => navigator.geolocation.clearWatch(watch);
  }, [open]);

  const tasks = useMemo(() => (open ? (loadTasks(me?.id ?? null)?.tasks ?? []).map((c) => ({ id: c.id, location: c.location, light: c.light })) : []), [open, me?.id, revision]);
  const current = grids && position ? gridAt(grids, position[0], position[1]) : null;

  if (!root) return null;
  return (
    <section className="patrol">
      <button type="button" className="btn block" aria-expanded={open} onClick={() => setOpen((v) => !v)}>{open ? t('patrol.hide') : t('patrol.show')}</button>
      {open && (
        <>
          <p className="muted small" data-testid="patrol-where">
            {position ? (current ? t('patrol.inGrid', { name: current.name, code: current.code }) : t('patrol.outside')) : t('patrol.noPosition')}
          </p>
          <ErrorPanel error={error} />
          {grids ? (
            <Suspense fallback={<Loading />}>
              <PatrolMap grids={grids} tasks={tasks} position={position} currentGrid={current?.code ?? null} onOpen={(id) => navigate('/cases', { id })} />
            </Suspense>
          ) : !error && (online ? <Loading /> : <p className="muted">{t('patrol.offlineNoGrids')}</p>)}
        </>
      )}
    </section>
  );
}

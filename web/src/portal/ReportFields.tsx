// The fields a report shares wherever it is made (the public portal, the inspector's phone): what, from
// the public service list grouped by class; where, tapped on the map or taken from the phone's position.
import { lazy, Suspense, useMemo } from 'react';
import { publicServices, publicTerritory } from '../api/portal.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Loading } from '../components/Status.tsx';
const PortalMap = lazy(() => import('./PortalMap.tsx'));

export function ServiceField({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const { t } = useI18n();
  const services = useApi((signal) => publicServices(signal), []);
  const groups = useMemo(() => {
    const by = new Map<string, { code: string; name: string }[]>();
    for (const s of services.data?.items ?? []) by.set(s.group, [...(by.get(s.group) ?? []), s]);
    return [...by];
  }, [services.data]);
  return (
    <label className="field"><span>{t('portal.what')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} required>
        <option value="">{t('portal.choose')}</option>
        {groups.map(([group, items]) => <optgroup key={group} label={group}>{items.map((s) => <option key={s.code} value={s.code}>{s.name}</option>)}</optgroup>)}
      </select>
    </label>
  );
}

const micro = (x: number) => Math.round(x * 1e6) / 1e6;

export function PlaceField({ point, onPoint, onError }: { point: [number, number] | null; onPoint: (point: [number, number]) => void; onError: (error: Error) => void }) {
  const { t } = useI18n();
  const territory = useApi((signal) => publicTerritory(signal), []);
  const locate = () => navigator.geolocation?.getCurrentPosition((p) => onPoint([micro(p.coords.longitude), micro(p.coords.latitude)]), (e) => onError(new Error(e.message)));
  return (
    <div className="field">
      <span>{t('portal.where')} {point ? <span className="mono">{point[1].toFixed(5)}, {point[0].toFixed(5)}</span> : <span className="muted">{t('portal.tapMap')}</span>}</span>
      {/* Offline (the inspector's phone) there is no map to load: the phone's position still works. */}
      {territory.data ? <Suspense fallback={<Loading />}><PortalMap territory={territory.data} point={point} onPick={(lon, lat) => onPoint([lon, lat])} /></Suspense> : territory.error ? null : <Loading />}
      <button type="button" className="btn" onClick={locate}>{t('portal.useMyPosition')}</button>
    </div>
  );
}

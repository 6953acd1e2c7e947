import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { listCases } from '../api/cases.ts';
import { publicServices, publicTerritory } from '../api/portal.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { LightDot } from '../cases/CasesPage.tsx';
import { flushOutbox, newOutboxReport, outbox, type OutboxReport } from './outbox.ts';

const PortalMap = lazy(() => import('../portal/PortalMap.tsx'));

/** 巡查: the inspector's phone app. Report what the patrol finds (saved on the phone first, sent when online), and the verify and check tasks. */
export function InspectorPage() {
  const { t } = useI18n();
  const [online, setOnline] = useState(navigator.onLine);
  const [waiting, setWaiting] = useState<OutboxReport[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = useCallback(async () => setWaiting(await outbox.list()), []);
  const sync = useCallback(async () => {
    if (!navigator.onLine) return;
    const { sent } = await flushOutbox();
    if (sent) setNotice(t('inspector.synced', { n: sent }));
    await refresh();
  }, [refresh, t]);
  useEffect(() => {
    void refresh().then(sync);
    const up = () => { setOnline(true); void sync(); };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => { window.removeEventListener('online', up); window.removeEventListener('offline', down); };
  }, [refresh, sync]);
  const tasks = useApi((signal) => (online ? listCases({ state: 'pending_verify,pending_check', sort: 'due_asc', limit: 50 }, signal) : Promise.resolve(undefined)), [online, waiting.length]);

  return (
    <div className="page inspector">
      <PageHeader title={t('inspector.title')}>
        <span className={`badge ${online ? 'ok' : 'warn'}`} data-testid="network">{online ? t('inspector.online') : t('inspector.offline')}</span>
      </PageHeader>
      {notice && <div className="notice" role="status">{notice}</div>}
      <ReportForm onSaved={async () => { await refresh(); await sync(); }} />
      <h2 className="section-title">{t('inspector.outbox')} <span data-testid="outbox-count">{waiting.length}</span></h2>
      {waiting.length > 0 && (
        <ul className="plain-list">
          {waiting.map((w) => <li key={w.id}>{localTime(w.report.reportedAt)} {w.report.description.slice(0, 30)} {w.lastError ? <span className="badge warn">{w.lastError}</span> : <span className="muted">{t('inspector.waiting')}</span>}</li>)}
        </ul>
      )}
      <h2 className="section-title">{t('inspector.tasks')}</h2>
      {tasks.data ? (
        <ul className="plain-list">
          {tasks.data.items.map((c) => <li key={c.id}><LightDot light={c.light} /> <Link to="/cases" params={{ id: c.id }}>{c.code}</Link> {c.stateLabel} · {c.class.name} · {c.address ?? c.territory.grid.name}</li>)}
          {tasks.data.items.length === 0 && <li className="muted">{t('cases.none')}</li>}
        </ul>
      ) : online ? <Loading /> : <p className="muted">{t('inspector.tasksOffline')}</p>}
    </div>
  );
}

function ReportForm({ onSaved }: { onSaved: () => Promise<void> }) {
  const { t } = useI18n();
  const services = useApi((signal) => publicServices(signal), []);
  const territory = useApi((signal) => publicTerritory(signal), []);
  const [classCode, setClassCode] = useState('');
  const [description, setDescription] = useState('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const groups = useMemo(() => {
    const by = new Map<string, { code: string; name: string }[]>();
    for (const s of services.data?.items ?? []) by.set(s.group, [...(by.get(s.group) ?? []), s]);
    return [...by];
  }, [services.data]);
  const locate = () => navigator.geolocation?.getCurrentPosition((p) => setPoint([Math.round(p.coords.longitude * 1e6) / 1e6, Math.round(p.coords.latitude * 1e6) / 1e6]), (e) => setError(new Error(e.message)));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!classCode || !description.trim() || !point) { setError(new Error(t('portal.incomplete'))); return; }
    setError(undefined);
    // Saved on the phone first: the report survives a lost connection, a closed app, a flat battery.
    await outbox.put(newOutboxReport({ classCode, description: description.trim(), location: { lon: point[0], lat: point[1] }, reportedAt: new Date().toISOString() }, photos));
    setDescription('');
    setPhotos([]);
    setPoint(null);
    await onSaved();
  };
  return (
    <form className="portal-card" onSubmit={submit} noValidate aria-label={t('inspector.report')}>
      <label className="field"><span>{t('portal.what')}</span>
        <select value={classCode} onChange={(e) => setClassCode(e.target.value)}>
          <option value="">{t('portal.choose')}</option>
          {groups.map(([group, items]) => <optgroup key={group} label={group}>{items.map((s) => <option key={s.code} value={s.code}>{s.name}</option>)}</optgroup>)}
        </select>
      </label>
      <label className="field"><span>{t('portal.description')}</span><textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} /></label>
      <div className="field">
        <span>{t('portal.where')} {point ? <span className="mono">{point[1].toFixed(5)}, {point[0].toFixed(5)}</span> : <span className="muted">{t('portal.tapMap')}</span>}</span>
        {territory.data ? <Suspense fallback={<Loading />}><PortalMap territory={territory.data} point={point} onPick={(lon, lat) => setPoint([lon, lat])} /></Suspense> : null}
        <button type="button" className="btn" onClick={locate}>{t('portal.useMyPosition')}</button>
      </div>
      <label className="field"><span>{t('portal.photo')}</span><input type="file" accept="image/*" capture="environment" multiple onChange={(e) => setPhotos([...(e.target.files ?? [])])} /></label>
      <ErrorPanel error={error} />
      <button type="submit" className="btn primary block">{t('inspector.report')}</button>
    </form>
  );
}

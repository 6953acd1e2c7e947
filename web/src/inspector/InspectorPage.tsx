import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { listCases } from '../api/cases.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { LightDot } from '../cases/CasesPage.tsx';
import { flushOutbox, newOutboxReport, outbox, type OutboxReport } from './outbox.ts';

import { PlaceField, ServiceField } from '../portal/ReportFields.tsx';

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
  const [classCode, setClassCode] = useState('');
  const [description, setDescription] = useState('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(undefined);
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
      <ServiceField value={classCode} onChange={setClassCode} />
      <label className="field"><span>{t('portal.description')}</span><textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} /></label>
      <PlaceField point={point} onPoint={setPoint} onError={setError} />
      <label className="field"><span>{t('portal.photo')}</span><input type="file" accept="image/*" capture="environment" multiple onChange={(e) => setPhotos([...(e.target.files ?? [])])} /></label>
      <ErrorPanel error={error} />
      <button type="submit" className="btn primary block">{t('inspector.report')}</button>
    </form>
  );
}

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { PageHeader } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { flushOutbox, newOutboxReport, outbox, retryItem, type OutboxItem } from './outbox.ts';
import { InspectorTasks } from './InspectorTasks.tsx';
import { PatrolPanel } from './PatrolPanel.tsx';

import { PlaceField, ServiceField } from '../portal/ReportFields.tsx';

/** 巡查: the inspector's phone app. Report what the patrol finds (saved on the phone first, sent when online), and the verify and check tasks. */
export function InspectorPage() {
  const { t } = useI18n();
  const [online, setOnline] = useState(navigator.onLine);
  const [waiting, setWaiting] = useState<OutboxItem[]>([]);
  const [discarding, setDiscarding] = useState<string | null>(null);
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

  return (
    <div className="page inspector">
      <PageHeader title={t('inspector.title')}>
        <span className={`badge ${online ? 'ok' : 'warn'}`} data-testid="network">{online ? t('inspector.online') : t('inspector.offline')}</span>
      </PageHeader>
      {notice && <div className="notice" role="status">{notice}</div>}
      <ReportForm onSaved={async () => { await refresh(); await sync(); }} />
      <h2 className="section-title">{t('inspector.outbox')} <span data-testid="outbox-count">{waiting.length}</span></h2>
      {waiting.length > 0 && (
        <ul className="plain-list" aria-label={t('inspector.outbox')}>
          {waiting.map((w) => (
            <li key={w.id}>
              {localTime(w.createdAt)} {w.kind === 'action' ? `${w.caseCode} ${w.actionLabel}` : w.report.description.slice(0, 30)}{' '}
              {w.lastError ? (
                <>
                  <span className="badge warn">{w.lastError}</span>{' '}
                  <button type="button" className="btn" onClick={async () => { await retryItem(w); await refresh(); await sync(); }}>{t('inspector.retry')}</button>
                  {discarding === w.id
                    ? <button type="button" className="btn danger" onClick={async () => { await outbox.remove(w.id); setDiscarding(null); await refresh(); }}>{t('inspector.discardConfirm')}</button>
                    : <button type="button" className="btn" onClick={() => setDiscarding(w.id)}>{t('inspector.discard')}</button>}
                </>
              ) : <span className="muted">{t('inspector.waiting')}</span>}
            </li>
          ))}
        </ul>
      )}
      <h2 className="section-title">{t('inspector.tasks')}</h2>
      <PatrolPanel online={online} revision={waiting.length} />
      <InspectorTasks online={online} queued={waiting} onQueued={async () => { await refresh(); await sync(); }} />
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

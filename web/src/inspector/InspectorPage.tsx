import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { PageHeader } from '../components/Status.tsx';
import { newOutboxReport, outbox } from './outbox.ts';
import { useOutbox } from './useOutbox.ts';
import { OutboxList } from './OutboxList.tsx';
import { InspectorTasks } from './InspectorTasks.tsx';
import { PatrolPanel } from './PatrolPanel.tsx';

import { PlaceField, ServiceField } from '../portal/ReportFields.tsx';

/** 巡查: the inspector's phone app. Report what the patrol finds (saved on the phone first, sent when online), and the verify and check tasks. */
export function InspectorPage() {
  const { t } = useI18n();
  const { online, waiting, notice, refresh, sync, saved } = useOutbox();
  return (
    <div className="page inspector">
      <PageHeader title={t('inspector.title')}>
        <span className={`badge ${online ? 'ok' : 'warn'}`} data-testid="network">{online ? t('inspector.online') : t('inspector.offline')}</span>
      </PageHeader>
      {notice && <div className="notice" role="status">{notice}</div>}
      <ReportForm onSaved={saved} />
      <OutboxList waiting={waiting} onChange={async (retried) => { await refresh(); if (retried) await sync(); }} />
      <h2 className="section-title">{t('inspector.tasks')}</h2>
      <PatrolPanel online={online} revision={waiting.length} />
      <InspectorTasks online={online} queued={waiting} onQueued={saved} />
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

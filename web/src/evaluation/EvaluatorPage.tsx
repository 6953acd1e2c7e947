import { useState, type FormEvent } from 'react';
import { myPoints, recordFinding, type MyPoint } from '../api/evaluation.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { uploadPhoto } from '../api/cases.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';

/** 暗访任务: the points drawn for the signed-in evaluator, and a finding recorded at one of them with photo, GPS and time. */
export function EvaluatorPage() {
  const { t } = useI18n();
  const points = useApi((signal) => myPoints(signal), []);
  const [at, setAt] = useState<MyPoint | null>(null);
  return (
    <div className="page">
      <PageHeader title={t('evaluator.title')}>{points.loading && <Loading inline />}</PageHeader>
      <ErrorPanel error={points.error} />
      {at && <FindingForm point={at} items={points.data?.checklists[String(at.round_id)] ?? []} onDone={() => { setAt(null); points.reload(); }} />}
      {points.data && (points.data.items.length === 0 ? <Empty>{t('evaluator.none')}</Empty> : (
        <table className="grid-table compact">
          <thead><tr><th>{t('evaluation.period')}</th><th>{t('evaluation.unit')}</th><th>#</th><th>{t('evaluation.point')}</th><th /></tr></thead>
          <tbody>{points.data.items.map((p) => (
            <tr key={p.id}><td>{p.period_code}</td><td>{p.unit_name}</td><td>{p.seq}</td><td className="mono">{p.grid_code}</td>
              <td><button type="button" className="btn" onClick={() => setAt(p)}>{t('evaluator.record')}</button></td></tr>
          ))}</tbody>
        </table>
      ))}
    </div>
  );
}

function FindingForm({ point, items, onDone }: { point: MyPoint; items: { code: string; zh: string; en: string }[]; onDone: () => void }) {
  const { t, lang } = useI18n();
  const [itemCode, setItemCode] = useState(items[0]?.code ?? '');
  const [occurrences, setOccurrences] = useState(1);
  const [photo, setPhoto] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const position = (): Promise<{ lon: number; lat: number }> => new Promise((resolve) => {
    // The phone's position; without one, the drawn grid's centre (which the evaluator stands in).
    if (!navigator.geolocation) return resolve({ lon: point.centroid_lon, lat: point.centroid_lat });
    navigator.geolocation.getCurrentPosition((p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude }), () => resolve({ lon: point.centroid_lon, lat: point.centroid_lat }), { timeout: 5000 });
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const attachmentId = photo ? await uploadPhoto(photo) : undefined;
      await recordFinding(point.round_id, { pointId: point.id, itemCode, occurrences, location: await position(), foundAt: new Date().toISOString(), note: note.trim() || undefined, attachmentId, clientRef: crypto.randomUUID() });
      onDone();
    } catch (cause) { setError(cause); } finally { setBusy(false); }
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label={t('evaluator.record')}>
      <strong>{point.unit_name} #{point.seq} <span className="mono">{point.grid_code}</span></strong>
      <label className="field"><span>{t('evaluation.item')}</span>
        <select value={itemCode} onChange={(e) => setItemCode(e.target.value)}>{items.map((i) => <option key={i.code} value={i.code}>{i.code} {lang === 'zh' ? i.zh : i.en}</option>)}</select>
      </label>
      <label className="field"><span>{t('evaluation.occurrences')}</span><input type="number" min={1} max={1000} value={occurrences} onChange={(e) => setOccurrences(Number(e.target.value))} /></label>
      <label className="field"><span>{t('portal.photo')}</span><input type="file" accept="image/*" capture="environment" onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} /></label>
      <label className="field"><span>{t('cases.note')}</span><input value={note} onChange={(e) => setNote(e.target.value)} /></label>
      <ErrorPanel error={error} />
      <div className="toolbar"><button type="submit" className="btn primary" disabled={busy}>{t('cases.confirm')}</button><button type="button" className="btn" onClick={onDone}>{t('cases.cancel')}</button></div>
    </form>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { myPoints, type MyPoint } from '../api/evaluation.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { localTime } from './format.ts';
import { newOutboxFinding, outbox } from '../inspector/outbox.ts';
import { useOutbox } from '../inspector/useOutbox.ts';
import { OutboxList } from '../inspector/OutboxList.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';

type Points = Awaited<ReturnType<typeof myPoints>>;
const KEY = 'cityops.evaluator.points';

/** The points as last seen online, kept on the phone for a visit without a network (this user's only). */
function keptPoints(userId: number | null): { fetchedAt: string; points: Points } | null {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as { userId: number | null; fetchedAt: string; points: Points } | null;
    return value && value.userId === userId ? value : null;
  } catch { return null; }
}

/**
 * 暗访任务: the points drawn for the signed-in evaluator, and a finding recorded at one of them with photo,
 * GPS and time. Findings are kept on the phone first and sent when online (once: each has its clientRef),
 * so a visit in a basement or a lift lobby loses nothing.
 */
export function EvaluatorPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const userId = me?.id ?? null;
  const { online, waiting, notice, refresh, sync, saved } = useOutbox();
  const live = useApi((signal) => (online ? myPoints(signal) : Promise.resolve(undefined)), [online, waiting.length]);
  const [kept, setKept] = useState(() => keptPoints(userId));
  useEffect(() => {
    if (!live.data) return;
    const value = { userId, fetchedAt: new Date().toISOString(), points: live.data };
    try { localStorage.setItem(KEY, JSON.stringify(value)); } catch { /* storage refused: the live list still shows */ }
    setKept(value);
  }, [live.data, userId]);
  const points = live.data ?? kept?.points;
  const [at, setAt] = useState<MyPoint | null>(null);
  return (
    <div className="page">
      <PageHeader title={t('evaluator.title')}>
        {live.loading && <Loading inline />}
        <span className={`badge ${online ? 'ok' : 'warn'}`} data-testid="network">{online ? t('inspector.online') : t('evaluator.offline')}</span>
      </PageHeader>
      {notice && <div className="notice" role="status">{notice}</div>}
      {online && <ErrorPanel error={live.error} />}
      {!online && kept && <p className="muted small" data-testid="points-cached">{t('evaluator.cached', { time: localTime(kept.fetchedAt) })}</p>}
      {at && <FindingForm point={at} items={points?.checklists[String(at.round_id)] ?? []} online={online} onSaved={saved} onClose={() => setAt(null)} />}
      {points ? (points.items.length === 0 ? <Empty>{t('evaluator.none')}</Empty> : (
        <table className="grid-table compact">
          <thead><tr><th>{t('evaluation.period')}</th><th>{t('evaluation.unit')}</th><th>#</th><th>{t('evaluation.point')}</th><th /></tr></thead>
          <tbody>{points.items.map((p) => (
            <tr key={p.id}><td>{p.period_code}</td><td>{p.unit_name}</td><td>{p.seq}</td><td className="mono">{p.grid_code}</td>
              <td><button type="button" className="btn" onClick={() => setAt(p)}>{t('evaluator.record')}</button></td></tr>
          ))}</tbody>
        </table>
      )) : online ? !live.error && <Loading /> : <p className="muted">{t('evaluator.offlineNoPoints')}</p>}
      <OutboxList waiting={waiting} onChange={async (retried) => { await refresh(); if (retried) await sync(); }} />
    </div>
  );
}

function FindingForm({ point, items, online, onSaved, onClose }: { point: MyPoint; items: { code: string; zh: string; en: string; evidence: string[] }[]; online: boolean; onSaved: () => Promise<void>; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [itemCode, setItemCode] = useState(items[0]?.code ?? '');
  const [occurrences, setOccurrences] = useState(1);
  const [photo, setPhoto] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const position = (): Promise<{ lon: number; lat: number }> => new Promise((resolve) => {
    // The phone's position (GPS works offline); without one, the drawn grid's centre (which the evaluator stands in).
    if (!navigator.geolocation) return resolve({ lon: point.centroid_lon, lat: point.centroid_lat });
    navigator.geolocation.getCurrentPosition((p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude }), () => resolve({ lon: point.centroid_lon, lat: point.centroid_lat }), { timeout: 5000 });
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const item = items.find((i) => i.code === itemCode);
    if (item?.evidence.includes('photo') && !photo) { setError(new Error(t('evaluator.photoRequired', { code: itemCode }))); return; }
    await run(async () => {
      // Recorded now, where the phone is; kept on the phone first, then sent.
      const finding = newOutboxFinding({ roundId: point.round_id, label: `${point.unit_name} #${point.seq}`, body: { pointId: point.id, itemCode, occurrences, location: await position(), foundAt: new Date().toISOString(), ...(note.trim() ? { note: note.trim() } : {}) } }, photo ? [photo] : []);
      await outbox.put(finding);
      await onSaved();
      // Online, a refusal comes back at once: show it here to correct, rather than leave it in the outbox.
      const left = (await outbox.list()).find((i) => i.id === finding.id);
      if (online && left?.lastError) {
        await outbox.remove(finding.id);
        await onSaved();
        setError(new Error(left.lastError));
        return;
      }
      onClose();
    });
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
      <div className="toolbar"><button type="submit" className="btn primary" disabled={busy}>{t('cases.confirm')}</button><button type="button" className="btn" onClick={onClose}>{t('cases.cancel')}</button></div>
    </form>
  );
}

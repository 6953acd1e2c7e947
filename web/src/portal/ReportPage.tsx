import { useState, type FormEvent } from 'react';
import { submitReport, trackingKeys } from '../api/portal.ts';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { PlaceField, ServiceField } from './ReportFields.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';

function readFile(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** 我要举报: what, where (tap the map or use the phone's position), a photo, optionally a name and phone. */
export function ReportPage() {
  const { t } = useI18n();
  const [classCode, setClassCode] = useState('');
  const [description, setDescription] = useState('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [address, setAddress] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const [done, setDone] = useState<{ code: string; trackingKey: string } | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!classCode || !description.trim() || !point) { setError(new ApiError(400, 'incomplete', t('portal.incomplete'))); return; }
    await run(async () => {
      const result = await submitReport({
        classCode, description: description.trim(), location: { lon: point[0], lat: point[1] },
        ...(address.trim() ? { address: address.trim() } : {}), ...(name.trim() ? { name: name.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(photo ? { photo: { data: await readFile(photo), type: photo.type } } : {}),
      });
      trackingKeys.set(result.code, result.trackingKey);
      setDone(result);
    });
  };

  if (done) {
    return (
      <section className="portal-card" role="status">
        <h1>{t('portal.thanks')}</h1>
        <p>{t('portal.yourNumber')} <strong className="mono" data-testid="report-code">{done.code}</strong></p>
        <p className="muted">{t('portal.keyNote')} <span className="mono">{done.trackingKey}</span></p>
        <a className="btn primary" href={`#/public/track?code=${done.code}`}>{t('portal.followIt')}</a>
      </section>
    );
  }
  return (
    <form className="portal-card" onSubmit={submit} noValidate>
      <h1>{t('portal.nav.report')}</h1>
      <ServiceField value={classCode} onChange={setClassCode} />
      <label className="field"><span>{t('portal.description')}</span>
        <textarea value={description} maxLength={4000} rows={3} onChange={(e) => setDescription(e.target.value)} required />
      </label>
      <PlaceField point={point} onPoint={setPoint} onError={setError} />
      <label className="field"><span>{t('portal.address')}</span><input value={address} maxLength={200} onChange={(e) => setAddress(e.target.value)} /></label>
      <label className="field"><span>{t('portal.photo')}</span><input type="file" accept="image/*" capture="environment" onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} /></label>
      <label className="field"><span>{t('portal.name')}</span><input value={name} maxLength={50} onChange={(e) => setName(e.target.value)} /></label>
      <label className="field"><span>{t('portal.phone')}</span><input type="tel" value={phone} maxLength={20} onChange={(e) => setPhone(e.target.value)} /></label>
      <p className="muted small">{t('portal.privacy')}</p>
      <ErrorPanel error={error} />
      <button type="submit" className="btn primary block" disabled={busy}>{busy ? t('portal.sending') : t('portal.send')}</button>
    </form>
  );
}

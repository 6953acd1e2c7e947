import { useState, type FormEvent } from 'react';
import { reportCase, uploadPhoto, workflowTable } from '../api/cases.ts';
import { ApiError } from '../api/client.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading, PageHeader } from '../components/Status.tsx';
import { PlaceField, ServiceField } from '../portal/ReportFields.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';

/**
 * 登记案件: the acceptor enters what reaches the centre by phone, 12345 work order, a superior's
 * assignment, the media or a video alarm. The sources offered are those the workflow's source table lets
 * one's roles enter; the caller's name and phone are kept privately (回访 only). A resend of the same
 * form acts once (idempotency key), and a similar case nearby is pointed out.
 */
export function IntakeForm() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const workflow = useApi((signal) => workflowTable(signal), []);
  const roles = new Set(me?.grants.map((g) => g.role) ?? []);
  const sources = (workflow.data?.sources ?? []).filter((s) => s.reporters.some((r) => roles.has(r)) && s.name !== 'inspector');
  const [source, setSource] = useState('');
  const [classCode, setClassCode] = useState('');
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [externalRef, setExternalRef] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const { busy, error, setError, run } = useSubmit();
  const [done, setDone] = useState<{ caseId: number; code: string; duplicates: string[] } | null>(null);
  const chosen = sources.find((s) => s.name === (source || sources[0]?.name));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen || !classCode || !description.trim() || !point) { setError(new ApiError(400, 'incomplete', t('intake.incomplete'))); return; }
    await run(async () => {
      const attachmentIds: number[] = [];
      for (const photo of photos) attachmentIds.push(await uploadPhoto(photo));
      const reporter = chosen.fromPublic && (name.trim() || phone.trim()) ? { ...(name.trim() ? { name: name.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) } : undefined;
      const out = await reportCase({
        source: chosen.name, classCode, description: description.trim(), location: { lon: point[0], lat: point[1] },
        ...(address.trim() ? { address: address.trim() } : {}), ...(externalRef.trim() ? { externalRef: externalRef.trim() } : {}),
        ...(reporter ? { reporter } : {}), ...(attachmentIds.length ? { attachmentIds } : {}),
      }, key);
      setDone({ caseId: out.caseId, code: out.code, duplicates: out.duplicateCandidates.map((d) => d.code) });
      setDescription(''); setAddress(''); setExternalRef(''); setName(''); setPhone(''); setPhotos([]); setPoint(null);
      setKey(crypto.randomUUID());
    });
  };

  return (
    <div className="page">
      <PageHeader title={t('intake.title')}><Link to="/cases">{t('intake.back')}</Link></PageHeader>
      {done && (
        <div className="notice" role="status">
          {t('intake.done')} <Link to="/cases" params={{ id: done.caseId }}><span className="mono">{done.code}</span></Link>
          {done.duplicates.length > 0 && <span className="badge warn">{t('intake.duplicates', { codes: done.duplicates.join('、') })}</span>}
        </div>
      )}
      {!workflow.data ? (workflow.error ? <ErrorPanel error={workflow.error} /> : <Loading />) : sources.length === 0 ? <p className="muted">{t('intake.noSource')}</p> : (
        <form className="action-form intake-form" onSubmit={submit} noValidate aria-label={t('intake.title')}>
          <label className="field"><span>{t('intake.source')}</span>
            <select value={chosen?.name ?? ''} onChange={(e) => setSource(e.target.value)}>
              {sources.map((s) => <option key={s.name} value={s.name}>{lang === 'zh' ? s.zh : s.en}</option>)}
            </select>
          </label>
          <ServiceField value={classCode} onChange={setClassCode} />
          <label className="field"><span>{t('portal.description')}</span><textarea rows={3} maxLength={4000} value={description} onChange={(e) => setDescription(e.target.value)} /></label>
          <label className="field"><span>{t('intake.address')}</span><input value={address} maxLength={300} onChange={(e) => setAddress(e.target.value)} /></label>
          <PlaceField point={point} onPoint={setPoint} onError={setError} />
          <label className="field"><span>{t('intake.externalRef')}</span><input value={externalRef} maxLength={100} onChange={(e) => setExternalRef(e.target.value)} placeholder={t('intake.externalRefHint')} /></label>
          {chosen?.fromPublic && (
            <div className="toolbar">
              <label className="inline-field"><span>{t('intake.callerName')}</span><input value={name} maxLength={60} onChange={(e) => setName(e.target.value)} /></label>
              <label className="inline-field"><span>{t('intake.callerPhone')}</span><input value={phone} maxLength={30} inputMode="tel" onChange={(e) => setPhone(e.target.value)} /></label>
            </div>
          )}
          <label className="field"><span>{t('portal.photo')}</span><input type="file" accept="image/*" multiple onChange={(e) => setPhotos([...(e.target.files ?? [])].slice(0, 20))} /></label>
          <ErrorPanel error={error} />
          <button type="submit" className="btn primary" disabled={busy}>{t('intake.submit')}</button>
        </form>
      )}
    </div>
  );
}

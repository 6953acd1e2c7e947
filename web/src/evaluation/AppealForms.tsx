import { useState, type FormEvent } from 'react';
import { uploadPhoto } from '../api/cases.ts';
import { fileAppeal, ruleAppeal } from '../api/evaluation.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';

export type AppealTarget = { findingId: number } | { entryCode: string };

/**
 * 申诉: the unit's grounds against one finding or one entered score, with its evidence photos, filed within
 * the window. The photos are uploaded first and claimed by the appeal; nothing is filed if any step fails.
 */
export function AppealForm({ runId, unitCode, target, onFiled, onCancel }: { runId: number; unitCode: string; target: AppealTarget; onFiled: (id: number) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const { busy, error, setError, run } = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const attachmentIds: number[] = [];
      for (const file of files) attachmentIds.push(await uploadPhoto(file));
      onFiled((await fileAppeal(runId, { unitCode, ...target, text, ...(attachmentIds.length ? { attachmentIds } : {}) })).id);
    });
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label={t('evaluation.appealForm')}>
      <label className="field"><span>{t('evaluation.appealText')}</span>
        <textarea rows={3} value={text} maxLength={4000} onChange={(e) => setText(e.target.value)} placeholder={t('evaluation.appealPlaceholder')} />
      </label>
      <label className="field"><span>{t('evaluation.evidence')}</span>
        <input type="file" accept="image/*" multiple onChange={(e) => setFiles([...(e.target.files ?? [])].slice(0, 20))} />
      </label>
      <div className="toolbar">
        <button type="submit" className="btn primary" disabled={busy}>{t('evaluation.fileAppeal')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('cases.cancel')}</button>
      </div>
      <ErrorPanel error={error} />
    </form>
  );
}

/** 裁定: the office's ruling on one appeal with its reasons; upholding an appeal against an entered score sets the value the ruling gives. */
export function RulingForm({ appealId, entryCode, onRuled, onCancel }: { appealId: number; entryCode: string | null; onRuled: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<'upheld' | 'rejected' | ''>('');
  const [ruling, setRuling] = useState('');
  const [value, setValue] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await ruleAppeal(appealId, { outcome, ruling, ...(outcome === 'upheld' && entryCode && value.trim() !== '' ? { newValue: Number(value) } : {}) });
      onRuled();
    });
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label={t('evaluation.rulingForm')}>
      <div className="toolbar" role="radiogroup" aria-label={t('evaluation.outcome')}>
        {(['upheld', 'rejected'] as const).map((o) => (
          <label key={o} className="inline-check"><input type="radio" name={`outcome-${appealId}`} checked={outcome === o} onChange={() => setOutcome(o)} /> {t(`evaluation.outcome.${o}`)}</label>
        ))}
        {outcome === 'upheld' && entryCode && (
          <label className="inline-field"><span>{t('evaluation.newValue', { code: entryCode })}</span><input className="short" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} /></label>
        )}
      </div>
      <label className="field"><span>{t('evaluation.ruling')}</span><textarea rows={2} value={ruling} maxLength={4000} onChange={(e) => setRuling(e.target.value)} /></label>
      <div className="toolbar">
        <button type="submit" className="btn primary" disabled={busy || outcome === ''}>{t('evaluation.rule')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('cases.cancel')}</button>
      </div>
      <ErrorPanel error={error} />
    </form>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { getRules, saveRules, type Ledger } from '../api/points.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';

/**
 * A ledger's rule set as JSON: the office edits and saves a new version; the server checks every field and
 * answers each problem by its name (rules.thresholds.frontage.yellow_card …), shown under the editor. Only
 * the syntax is checked here, so the rules stay the server's (domain/src/points/) and are not copied.
 */
export function RulesEditor({ ledger, manage }: { ledger: Ledger; manage: boolean }) {
  const { t } = useI18n();
  const rules = useApi((signal) => getRules(ledger, signal), [ledger]);
  const current = rules.data?.current;
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState<number | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const pretty = current ? JSON.stringify(current.rules, null, 2) : '';
  useEffect(() => { setText(pretty); }, [pretty]);
  let syntax: string | null = null;
  try { if (text) JSON.parse(text); } catch (cause) { syntax = cause instanceof Error ? cause.message : String(cause); }
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (syntax) return;
    void run(async () => {
      setSaved(null);
      const stored = await saveRules(ledger, JSON.parse(text), reason.trim());
      setSaved(stored.version);
      setReason('');
      rules.reload();
    });
  };
  return (
    <section className="card" aria-label={t('pts.rules.title')}>
      <h2>{t('pts.rules.title')} {rules.loading && <Loading inline />}</h2>
      <ErrorPanel error={rules.error} />
      {current && (
        <>
          <p className="small">
            <strong>{current.version === 0 ? t('pts.rules.shipped') : t('pts.rules.version', { version: current.version })}</strong>
            {current.savedAt && <span className="muted"> · {t('pts.rules.savedBy', { who: current.savedBy ?? '—', date: localTime(current.savedAt), reason: current.reason ?? '—' })}</span>}
          </p>
          {!manage && <p className="muted small">{t('pts.rules.readOnly')}</p>}
          {manage && <p className="muted small">{t('pts.rules.hint')}</p>}
          <form onSubmit={save} aria-label={t('pts.rules.title')}>
            <label className="field"><span>{t('pts.rules.json')}</span>
              <textarea name="rules" className="mono" rows={24} spellCheck={false} readOnly={!manage} value={text} style={{ fontSize: 12 }}
                onChange={(e) => { setText(e.target.value); setError(undefined); setSaved(null); }} />
            </label>
            {syntax && <div className="field-hint" role="alert">{t('pts.rules.badJson', { detail: syntax })}</div>}
            {manage && (
              <>
                <label className="field"><span>{t('pts.rules.reason')}</span><input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
                <ErrorPanel error={error} />
                {saved !== null && <p className="badge ok" role="status">{t('pts.rules.saved', { version: saved })}</p>}
                <div className="toolbar">
                  <button type="submit" className="btn primary" disabled={busy || !!syntax || text === pretty}>{t('pts.rules.save')}</button>
                  <button type="button" className="btn" disabled={text === pretty} onClick={() => { setText(pretty); setError(undefined); }}>{t('pts.rules.reset')}</button>
                </div>
              </>
            )}
          </form>
          {rules.data!.versions.length > 0 && (
            <>
              <h3>{t('pts.rules.versions')}</h3>
              <ul className="small">{rules.data!.versions.map((v) => <li key={v.version}>v{v.version} · {v.name} · {v.savedBy ?? '—'} · {localTime(v.savedAt)}{v.reason ? ` · ${v.reason}` : ''}</li>)}</ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

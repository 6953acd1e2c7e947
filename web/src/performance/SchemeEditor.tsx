import { useState, type FormEvent } from 'react';
import { getDefinitions, getScheme, saveScheme, type PerformanceSubject } from '../api/performance.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { isObject, sameRules, type RuleObject } from '../points/rule-fields.tsx';
import { SchemeForm } from './SchemeForm.tsx';

/**
 * A subject's performance scheme (评价方案): read by everyone who reads its ranking; the office edits it by form (or,
 * as an advanced view, as JSON: both edit the same object) and saves a new version with a reason. The server
 * checks every field (domain/src/performance/scheme.ts) and names each problem by its path
 * (scheme.components[2].weight): shown beside the input it names and listed in the error panel.
 */
export function SchemeEditor({ subject, manage }: { subject: PerformanceSubject; manage: boolean }) {
  const { t } = useI18n();
  const stored = useApi((signal) => getScheme(subject, signal), [subject]);
  const defs = useApi(() => getDefinitions(), []);
  const current = stored.data?.scheme.subject === subject ? stored.data : undefined;
  const pretty = current ? JSON.stringify(current.scheme, null, 2) : '';
  const [draft, setDraft] = useState<RuleObject>({});
  const [json, setJson] = useState(false);
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState<number | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const reset = () => { setDraft(current ? (current.scheme as unknown as RuleObject) : {}); setText(pretty); setError(undefined); };
  // A new version in force (loaded, saved, another subject) restarts the edit, during the render (not in an
  // effect) so the form never shows a frame of the previous scheme.
  const [editing, setEditing] = useState<string | null>(null);
  const key = `${subject}:${current?.version ?? ''}:${pretty}`;
  if (current && editing !== key) {
    setEditing(key);
    reset();
    if (editing?.split(':')[0] !== subject) setSaved(null);
  }

  let syntax: string | null = null;
  let parsed: unknown = draft;
  if (json) {
    try { parsed = JSON.parse(text); } catch (cause) { syntax = cause instanceof Error ? cause.message : String(cause); }
  }
  const changed = !!current && (syntax !== null || !sameRules(parsed, current.scheme));
  const notObject = json && !syntax && !isObject(parsed);
  const toggle = (toJson: boolean) => {
    if (toJson) setText(JSON.stringify(draft, null, 2));
    else if (syntax || notObject) return;
    else setDraft(parsed as RuleObject);
    setJson(toJson);
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (syntax) return;
    void run(async () => {
      setSaved(null);
      const result = await saveScheme(subject, parsed, reason.trim());
      setSaved(result.version);
      setReason('');
      stored.reload();
    });
  };
  return (
    <section className="card" aria-label={t('perf.scheme.title')}>
      <h2>{t('perf.scheme.title')} {(stored.loading || defs.loading) && <Loading inline />}</h2>
      <ErrorPanel error={stored.error ?? defs.error} />
      {current && defs.data && (
        <>
          <p className="small" data-testid="scheme-version">
            <strong>{current.scheme.name} · {current.version === 0 ? t('perf.shipped') : t('perf.version', { version: current.version })}</strong>
            {current.savedAt && <span className="muted"> · {t('perf.scheme.savedBy', { who: current.savedByName ?? '—', date: localTime(current.savedAt), reason: current.reason ?? '—' })}</span>}
          </p>
          {current.scheme.note && <p className="muted small">{current.scheme.note}</p>}
          <p className="muted small">{manage ? t('perf.scheme.hint') : t('perf.scheme.readOnly')}</p>
          <label className="inline-field small" style={{ marginBottom: 8 }}>
            <input type="checkbox" name="jsonView" checked={json} disabled={json && (!!syntax || notObject)} onChange={(e) => toggle(e.target.checked)} />
            <span>{t('perf.scheme.jsonView')}</span>
          </label>
          <form onSubmit={save} aria-label={t('perf.scheme.title')}>
            {json ? (
              <>
                <label className="field"><span>{t('perf.scheme.json')}</span>
                  <textarea name="scheme" className="mono" rows={24} spellCheck={false} readOnly={!manage} value={text} style={{ fontSize: 12 }}
                    onChange={(e) => { setText(e.target.value); setSaved(null); }} />
                </label>
                {syntax && <div className="field-hint" role="alert">{t('perf.scheme.badJson', { detail: syntax })}</div>}
                {notObject && <div className="field-hint" role="alert">{t('perf.scheme.notObject')}</div>}
              </>
            ) : (
              <SchemeForm scheme={draft} subject={subject} defs={defs.data} error={error} disabled={!manage} onChange={(next) => { setDraft(next); setSaved(null); }} />
            )}
            {manage && (
              <>
                <label className="field" style={{ marginTop: 12 }}><span>{t('perf.scheme.reason')}</span><input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
                <ErrorPanel error={error} />
                {saved !== null && <p className="badge ok" role="status">{t('perf.scheme.saved', { version: saved })}</p>}
                <div className="toolbar">
                  <button type="submit" className="btn primary" disabled={busy || !!syntax || !changed}>{t('perf.scheme.save')}</button>
                  <button type="button" className="btn" disabled={!changed && !error} onClick={reset}>{t('perf.scheme.reset')}</button>
                </div>
              </>
            )}
          </form>
          <h3>{t('perf.scheme.versions')}</h3>
          {current.versions.length === 0 ? <p className="muted small">{t('perf.scheme.noVersions')}</p> : (
            <table className="grid-table" aria-label={t('perf.scheme.versions')} style={{ width: 'auto' }}>
              <thead><tr><th>{t('perf.scheme.col.version')}</th><th>{t('perf.scheme.col.savedAt')}</th><th>{t('perf.scheme.col.savedBy')}</th><th>{t('perf.scheme.col.reason')}</th></tr></thead>
              <tbody>
                {current.versions.map((v) => (
                  <tr key={v.version} aria-current={v.version === current.version ? 'true' : undefined}>
                    <td>{t('perf.version', { version: v.version })}{v.version === current.version && <span className="badge ok" style={{ marginLeft: 6 }}>{t('perf.scheme.inForce')}</span>}</td>
                    <td className="mono">{localTime(v.savedAt)}</td><td>{v.savedByName ?? '—'}</td><td>{v.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

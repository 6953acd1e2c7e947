import { useState, type FormEvent } from 'react';
import { getRules, saveRules, type Ledger } from '../api/points.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { CreditRulesForm } from './CreditRulesForm.tsx';
import { ResponsibilityRulesForm } from './ResponsibilityRulesForm.tsx';
import { isObject, sameRules, type RuleObject } from './rule-fields.tsx';

const FORMS = { responsibility: ResponsibilityRulesForm, credit: CreditRulesForm } as const;

/**
 * A ledger's rule set: the office edits it by form (or, as an advanced view, as JSON: both edit the same object)
 * and saves a new version. The server checks every field and answers each problem by its name
 * (rules.thresholds.frontage.yellow_card …): shown beside the input it names and listed in the error panel. Only
 * the JSON syntax is checked here, so the rules stay the server's (domain/src/points/) and are not copied.
 */
export function RulesEditor({ ledger, manage }: { ledger: Ledger; manage: boolean }) {
  const { t } = useI18n();
  const rules = useApi((signal) => getRules(ledger, signal), [ledger]);
  const current = rules.data?.current;
  const pretty = current ? JSON.stringify(current.rules, null, 2) : '';
  const [draft, setDraft] = useState<RuleObject>({});
  const [json, setJson] = useState(false);
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState<number | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const reset = () => { setDraft(current ? current.rules : {}); setText(pretty); setError(undefined); };
  // A new version in force (loaded, saved) restarts the edit, during the render (not in an effect) so the form
  // never shows a frame of empty inputs.
  const [editing, setEditing] = useState<string | null>(null);
  if (current && editing !== pretty) {
    setEditing(pretty);
    reset();
  }

  let syntax: string | null = null;
  let parsed: unknown = draft;
  if (json) {
    try { parsed = JSON.parse(text); } catch (cause) { syntax = cause instanceof Error ? cause.message : String(cause); }
  }
  const changed = !!current && (syntax !== null || !sameRules(parsed, current.rules));
  // The form edits an object; JSON that is not one stays in the JSON view for the office to mend (the server would refuse it too).
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
      const stored = await saveRules(ledger, parsed, reason.trim());
      setSaved(stored.version);
      setReason('');
      rules.reload();
    });
  };
  const Form = FORMS[ledger];
  return (
    <section className="card" aria-label={t('pts.rules.title')}>
      <h2>{t('pts.rules.title')} {rules.loading && <Loading inline />}</h2>
      <ErrorPanel error={rules.error} />
      {current && (
        <>
          <p className="small" data-testid="rules-version">
            <strong>{current.version === 0 ? t('pts.rules.shipped') : t('pts.rules.version', { version: current.version })}</strong>
            {current.savedAt && <span className="muted"> · {t('pts.rules.savedBy', { who: current.savedBy ?? '—', date: localTime(current.savedAt), reason: current.reason ?? '—' })}</span>}
          </p>
          {!manage && <p className="muted small">{t('pts.rules.readOnly')}</p>}
          {manage && <p className="muted small">{t('pts.rules.hint')}</p>}
          <label className="inline-field small" style={{ marginBottom: 8 }}>
            <input type="checkbox" name="jsonView" checked={json} disabled={json && (!!syntax || notObject)} onChange={(e) => toggle(e.target.checked)} />
            <span>{t('pts.rules.jsonView')}</span>
          </label>
          <form onSubmit={save} aria-label={t('pts.rules.title')}>
            {json ? (
              <>
                <p className="muted small">{t('pts.rules.jsonHint')}</p>
                <label className="field"><span>{t('pts.rules.json')}</span>
                  <textarea name="rules" className="mono" rows={24} spellCheck={false} readOnly={!manage} value={text} style={{ fontSize: 12 }}
                    onChange={(e) => { setText(e.target.value); setSaved(null); }} />
                </label>
                {syntax && <div className="field-hint" role="alert">{t('pts.rules.badJson', { detail: syntax })}</div>}
                {notObject && <div className="field-hint" role="alert">{t('pts.rules.notObject')}</div>}
              </>
            ) : (
              <Form rules={draft} onChange={(next) => { setDraft(next); setSaved(null); }} error={error} disabled={!manage} />
            )}
            {manage && (
              <>
                <label className="field" style={{ marginTop: 12 }}><span>{t('pts.rules.reason')}</span><input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
                <ErrorPanel error={error} />
                {saved !== null && <p className="badge ok" role="status">{t('pts.rules.saved', { version: saved })}</p>}
                <div className="toolbar">
                  <button type="submit" className="btn primary" disabled={busy || !!syntax || !changed}>{t('pts.rules.save')}</button>
                  <button type="button" className="btn" disabled={!changed && !error} onClick={reset}>{t('pts.rules.reset')}</button>
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

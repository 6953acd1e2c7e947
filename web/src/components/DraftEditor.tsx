import { useState, type FormEvent, type ReactNode } from 'react';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n } from '../i18n/index.tsx';
import { isObject, sameRules, type RuleObject } from '../points/rule-fields.tsx';
import { ErrorPanel } from './ErrorPanel.tsx';

/** The i18n prefixes of the versioned rule sets edited this way; each has the same keys below it. */
export type DraftPrefix = 'pts.rules' | 'perf.scheme';

/**
 * A versioned rule set (the points rules, a performance scheme) edited as a draft: by form, or as an advanced
 * view as JSON (both edit the same object), and saved as a new version with a reason. The server checks every
 * field and names each problem by its path, which the form shows beside its input (`form` gets the save's
 * error); only the JSON syntax is checked here, so the rules stay the server's. A new version in force
 * (`versionKey`) restarts the edit during the render, not in an effect, so the form never shows a frame of the
 * previous version. Remount it (a React key) for another rule set.
 */
export function DraftEditor({ prefix, name, current, versionKey, manage, save, form }: {
  prefix: DraftPrefix;
  /** The textarea's name in the JSON view. */
  name: string;
  /** The version in force. */
  current: RuleObject;
  versionKey: string;
  manage: boolean;
  /** Saves the draft with the reason; answers the version it became. */
  save: (draft: unknown, reason: string) => Promise<number>;
  form: (draft: RuleObject, onChange: (next: RuleObject) => void, error: unknown) => ReactNode;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<RuleObject>(current);
  const [json, setJson] = useState(false);
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState<number | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const reset = () => { setDraft(current); setText(JSON.stringify(current, null, 2)); setError(undefined); };
  const [editing, setEditing] = useState(versionKey);
  if (editing !== versionKey) {
    setEditing(versionKey);
    reset();
  }

  let syntax: string | null = null;
  let parsed: unknown = draft;
  if (json) {
    try { parsed = JSON.parse(text); } catch (cause) { syntax = cause instanceof Error ? cause.message : String(cause); }
  }
  const changed = syntax !== null || !sameRules(parsed, current);
  // The form edits an object; JSON that is not one stays in the JSON view for the office to mend (the server would refuse it too).
  const notObject = json && !syntax && !isObject(parsed);
  const toggle = (toJson: boolean) => {
    if (toJson) setText(JSON.stringify(draft, null, 2));
    else if (syntax || notObject) return;
    else setDraft(parsed as RuleObject);
    setJson(toJson);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (syntax) return;
    void run(async () => {
      setSaved(null);
      setSaved(await save(parsed, reason.trim()));
      setReason('');
    });
  };
  return (
    <>
      <p className="muted small">{manage ? t(`${prefix}.hint`) : t(`${prefix}.readOnly`)}</p>
      <label className="inline-field small" style={{ marginBottom: 8 }}>
        <input type="checkbox" name="jsonView" checked={json} disabled={json && (!!syntax || notObject)} onChange={(e) => toggle(e.target.checked)} />
        <span>{t(`${prefix}.jsonView`)}</span>
      </label>
      <form onSubmit={submit} aria-label={t(`${prefix}.title`)}>
        {json ? (
          <>
            <p className="muted small">{t(`${prefix}.jsonHint`)}</p>
            <label className="field"><span>{t(`${prefix}.json`)}</span>
              <textarea name={name} className="mono" rows={24} spellCheck={false} readOnly={!manage} value={text} style={{ fontSize: 12 }}
                onChange={(e) => { setText(e.target.value); setSaved(null); }} />
            </label>
            {syntax && <div className="field-hint" role="alert">{t(`${prefix}.badJson`, { detail: syntax })}</div>}
            {notObject && <div className="field-hint" role="alert">{t(`${prefix}.notObject`)}</div>}
          </>
        ) : form(draft, (next) => { setDraft(next); setSaved(null); }, error)}
        {manage && (
          <>
            <label className="field" style={{ marginTop: 12 }}><span>{t(`${prefix}.reason`)}</span><input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
            <ErrorPanel error={error} />
            {saved !== null && <p className="badge ok" role="status">{t(`${prefix}.saved`, { version: saved })}</p>}
            <div className="toolbar">
              <button type="submit" className="btn primary" disabled={busy || !!syntax || !changed}>{t(`${prefix}.save`)}</button>
              <button type="button" className="btn" disabled={!changed && !error} onClick={reset}>{t(`${prefix}.reset`)}</button>
            </div>
          </>
        )}
      </form>
    </>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { getRule, saveRule } from '../api/key-tasks.ts';
import { useApi } from '../hooks/useApi.ts';
import { useSubmit } from '../hooks/useSubmit.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';

/** What a new rule code starts from: the shipped rule's shape (docs/key-tasks.md), for the office to adjust. */
const TEMPLATE = {
  name: '重点任务专项工作月度评分细则', base: 100,
  points: { overdue: { lead: 5, cooperating: 2 }, returned: { lead: 2, cooperating: 0 }, early: { lead: 1, cooperating: 0.5 } },
  earlyDays: 7, bonusCap: 5, min: 0, max: 100,
};

/**
 * A special-task scoring rule (专项工作评分细则) as JSON: the office saves it as the code's next version and the
 * server names each bad field (rule.points.overdue.lead …), listed under the editor. Only the syntax is checked
 * here, so the rule stays the server's (domain/src/key-tasks/score.ts).
 */
export function ScoreRuleEditor({ initialCode }: { initialCode: string }) {
  const { t } = useI18n();
  const [code, setCode] = useState(initialCode);
  const [loaded, setLoaded] = useState(initialCode);
  const rule = useApi(async (signal) => {
    try { return await getRule(loaded, signal); } catch (cause) { if (cause instanceof ApiError && cause.status === 404) return null; throw cause; }
  }, [loaded]);
  const pretty = JSON.stringify(rule.data ? rule.data.rule : TEMPLATE, null, 2);
  const [text, setText] = useState(pretty);
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState<number | null>(null);
  const { busy, error, setError, run } = useSubmit();
  useEffect(() => { setText(pretty); }, [pretty]);
  let syntax: string | null = null;
  try { JSON.parse(text); } catch (cause) { syntax = cause instanceof Error ? cause.message : String(cause); }
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (syntax) return;
    void run(async () => {
      setSaved(null);
      const stored = await saveRule(loaded, JSON.parse(text), reason.trim());
      setSaved(stored.version);
      setReason('');
      rule.reload();
    });
  };
  return (
    <section className="card" aria-label={t('kt.rule.title')}>
      <h2>{t('kt.rule.title')} {rule.loading && <Loading inline />}</h2>
      <div className="toolbar">
        <label className="inline-field"><span>{t('kt.form.rule')}</span><input name="ruleCode" value={code} maxLength={40} onChange={(e) => setCode(e.target.value)} /></label>
        <button type="button" className="btn" onClick={() => { setLoaded(code.trim()); setSaved(null); setError(undefined); }}>{t('kt.rule.open')}</button>
      </div>
      <ErrorPanel error={rule.error} />
      <p className="small muted">
        {rule.data ? t('kt.rule.version', { version: rule.data.version, date: localTime(rule.data.createdAt) }) : t('kt.rule.new', { code: loaded })}
      </p>
      <form onSubmit={save} aria-label={t('kt.rule.title')}>
        <label className="field"><span>JSON</span>
          <textarea name="rule" className="mono" rows={16} spellCheck={false} value={text} style={{ fontSize: 12 }}
            onChange={(e) => { setText(e.target.value); setError(undefined); setSaved(null); }} />
        </label>
        {syntax && <div className="field-hint" role="alert">{t('kt.rule.badJson', { detail: syntax })}</div>}
        <label className="field"><span>{t('kt.rule.reason')}</span><input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
        <ErrorPanel error={error} />
        {saved !== null && <p className="badge ok" role="status">{t('kt.rule.saved', { version: saved })}</p>}
        <button type="submit" className="btn primary" disabled={busy || !!syntax || !loaded}>{t('kt.rule.save')}</button>
      </form>
      {rule.data && rule.data.versions.length > 1 && (
        <ul className="small">{rule.data.versions.map((v) => <li key={v.version}>v{v.version} · {v.name} · {localTime(v.createdAt)}{v.reason ? ` · ${v.reason}` : ''}</li>)}</ul>
      )}
    </section>
  );
}

import { getRules, saveRules, type Ledger } from '../api/points.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { localTime } from '../evaluation/format.ts';
import { CreditRulesForm } from './CreditRulesForm.tsx';
import { ResponsibilityRulesForm } from './ResponsibilityRulesForm.tsx';
import { DraftEditor } from '../components/DraftEditor.tsx';

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
  const Form = FORMS[ledger];
  const save = async (draft: unknown, reason: string) => {
    const stored = await saveRules(ledger, draft, reason);
    rules.reload();
    return stored.version;
  };
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
          <DraftEditor key={ledger} prefix="pts.rules" name="rules" current={current.rules} versionKey={`${current.version}:${JSON.stringify(current.rules)}`} manage={manage} save={save}
            form={(draft, onChange, error) => <Form rules={draft} onChange={onChange} error={error} disabled={!manage} />} />
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

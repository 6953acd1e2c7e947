import { useState, type FormEvent } from 'react';
import { updateCaseStandard, type CaseStandard, type CaseStandardPatch, type Urgency } from '../api/catalog.ts';
import type { Department } from '../api/users.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { FieldIssue } from '../catalog/field-issues.tsx';
import { LimitInput, fromDraft, sameLimit, toDraft } from './LimitInput.tsx';
import { RuleEditor } from './RuleEditor.tsx';
import { URGENCY } from './urgency.ts';
import { useSubmit } from '../hooks/useSubmit.ts';

/** Edits one 立结案标准 row; only what changed is sent, and the server names each refused field. */
export function StandardForm({ row, departments, onSaved, onCancel }: { row: CaseStandard; departments: readonly Department[]; onSaved: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [disposal, setDisposal] = useState(row.disposal ?? '');
  const [registration, setRegistration] = useState(row.registrationCondition ?? '');
  const [closing, setClosing] = useState(row.closingCondition ?? '');
  const [rule, setRule] = useState(row.departmentRule ?? '');
  const [urgency, setUrgency] = useState<Urgency>(row.urgency);
  const [limit, setLimit] = useState(toDraft(row.limit));
  const { busy, error, setError, run } = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const patch: CaseStandardPatch = {
      ...(disposal !== (row.disposal ?? '') ? { disposal: disposal.trim() } : {}),
      ...(registration !== (row.registrationCondition ?? '') ? { registrationCondition: registration.trim() } : {}),
      ...(closing !== (row.closingCondition ?? '') ? { closingCondition: closing.trim() } : {}),
      ...(rule !== (row.departmentRule ?? '') ? { departmentRule: rule } : {}),
      ...(urgency !== row.urgency ? { urgency } : {}),
      ...(!sameLimit(row.limit, limit) ? { limit: fromDraft(limit) } : {}),
    };
    if (Object.keys(patch).length === 0) { onCancel(); return; }
    await run(async () => {
      await updateCaseStandard(row.id, patch);
      onSaved();
    });
  };

  return (
    <form className="action-form" onSubmit={submit} aria-label={t('standardEdit.title', { code: row.classCode, name: row.className })}>
      <strong>{t('standardEdit.title', { code: row.classCode, name: row.className })}</strong>
      <div className="field-row">
        <label className="field">
          <span>{t('standards.disposal')} <FieldIssue error={error} fields={['disposal']} /></span>
          <input value={disposal} maxLength={30} onChange={(e) => setDisposal(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('standards.urgency')} <FieldIssue error={error} fields={['urgency']} /></span>
          <select value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)}>
            {(Object.keys(URGENCY) as Urgency[]).map((u) => <option key={u} value={u}>{t(URGENCY[u])}</option>)}
          </select>
        </label>
        <div className="field">
          <span>{t('standards.limit')} <FieldIssue error={error} fields={['limit']} /></span>
          <LimitInput label={t('standards.limit')} draft={limit} onChange={setLimit} />
        </div>
      </div>
      <div className="field-row">
        <label className="field">
          <span>{t('standards.registration')} <FieldIssue error={error} fields={['registrationCondition']} /></span>
          <textarea rows={3} maxLength={500} value={registration} onChange={(e) => setRegistration(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('standards.closing')} <FieldIssue error={error} fields={['closingCondition']} /></span>
          <textarea rows={3} maxLength={500} value={closing} onChange={(e) => setClosing(e.target.value)} />
        </label>
      </div>
      <div className="field">
        <span>{t('standards.department')} <FieldIssue error={error} fields={['departmentRule']} /></span>
        <RuleEditor value={rule} onChange={setRule} departments={departments} />
        <span className="muted small">{t('standardEdit.ruleHelp')}</span>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.saving') : t('common.save')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('basedata.cancel')}</button>
      </div>
      <ErrorPanel error={error} />
    </form>
  );
}

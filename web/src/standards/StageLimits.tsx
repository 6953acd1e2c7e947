import { useState } from 'react';
import { listStageLimits, setStageLimit, type StageLimit } from '../api/catalog.ts';
import { useApi } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { FieldIssue } from '../catalog/field-issues.tsx';
import { isTimeLimitUnit, UNIT_LABEL } from '../labels.ts';
import { LimitInput, fromDraft, sameLimit, toDraft } from './LimitInput.tsx';

/** 环节时限: the time limit of each workflow stage but handling (whose limit is the 立结案标准 row's). */
export function StageLimits() {
  const { t } = useI18n();
  const { can } = useSession();
  const stages = useApi((signal) => listStageLimits(signal), []);
  return (
    <section aria-label={t('stageLimits.title')}>
      <div className="notice info">{t('stageLimits.help')}</div>
      <ErrorPanel error={stages.error} />
      {stages.data ? (
        <table className="grid-table">
          <thead>
            <tr>
              <th style={{ width: 120 }}>{t('stageLimits.stage')}</th>
              <th style={{ width: 160 }}>{t('stageLimits.current')}</th>
              <th style={{ width: 160 }}>{t('stageLimits.default')}</th>
              {can('stage_limit.write') && <th>{t('stageLimits.change')}</th>}
            </tr>
          </thead>
          <tbody>
            {stages.data.map((s) => <StageRow key={s.stage} stage={s} editable={can('stage_limit.write')} onSaved={stages.reload} />)}
          </tbody>
        </table>
      ) : !stages.error && <Loading />}
    </section>
  );
}

function StageRow({ stage, editable, onSaved }: { stage: StageLimit; editable: boolean; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState(toDraft(stage.limit));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const name = lang === 'zh' ? stage.zh : stage.en;
  const label = (l: { value: number; unit: string }) => `${l.value} ${isTimeLimitUnit(l.unit) ? t(UNIT_LABEL[l.unit]) : l.unit}`;
  const isDefault = stage.limit.value === stage.default.value && stage.limit.unit === stage.default.unit;

  const save = async () => {
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      const result = await setStageLimit(stage.stage, fromDraft(draft));
      setDraft(toDraft(result.limit));
      setSaved(true);
      onSaved();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-stage={stage.stage}>
      <td><strong>{name}</strong></td>
      <td className="nowrap" data-testid="current">{label(stage.limit)}</td>
      <td className="nowrap muted">{label(stage.default)}{!isDefault && <span className="badge warn" style={{ marginLeft: 6 }}>{t('stageLimits.changed')}</span>}</td>
      {editable && (
        <td>
          <form className="inline-field" aria-label={t('stageLimits.formOf', { stage: name })} onSubmit={(e) => { e.preventDefault(); void save(); }}>
            <LimitInput label={name} draft={draft} onChange={(d) => { setDraft(d); setSaved(false); }} />
            <button type="submit" className="btn small primary" disabled={busy || sameLimit(stage.limit, draft)}>{busy ? t('common.saving') : t('common.save')}</button>
            {!isDefault && (
              <button type="button" className="btn small" disabled={busy} onClick={() => { setDraft(toDraft(stage.default)); setSaved(false); }}>{t('stageLimits.useDefault')}</button>
            )}
            {saved && <span className="ok-text small" role="status">{t('common.saved')}</span>}
            <FieldIssue error={error} fields={['limit']} />
          </form>
          <ErrorPanel error={error} />
        </td>
      )}
    </tr>
  );
}

import { useState, type FormEvent } from 'react';
import { updateNode, type AreaClass, type TerritoryNodeDetail } from '../api/territory.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { AREA_CLASSES, AREA_CLASS_LABEL } from './style.ts';

/** Rename a node or change its area class (permission territory.write). */
export function NodeEditForm({ node, onSaved }: { node: TerritoryNodeDetail; onSaved: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(node.name);
  const [areaClass, setAreaClass] = useState<AreaClass>(node.areaClass);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const patch: { name?: string; areaClass?: AreaClass } = {};
  if (name.trim() !== node.name) patch.name = name.trim();
  if (areaClass !== node.areaClass) patch.areaClass = areaClass;
  const dirty = Object.keys(patch).length > 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!dirty) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await updateNode(node.code, patch);
      setSaved(true);
      onSaved();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel-form" onSubmit={submit}>
      <h3>{t('territory.edit')}</h3>
      <label className="field">
        <span>{t('territory.name')}</span>
        <input value={name} maxLength={100} onChange={(e) => { setName(e.target.value); setSaved(false); }} />
      </label>
      <label className="field">
        <span>{t('territory.areaClass')}</span>
        <select value={areaClass} onChange={(e) => { setAreaClass(Number(e.target.value) as AreaClass); setSaved(false); }}>
          {AREA_CLASSES.map((c) => <option key={c} value={c}>{t(AREA_CLASS_LABEL[c])}</option>)}
        </select>
      </label>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={!dirty || busy || name.trim() === ''}>{busy ? t('common.saving') : t('common.save')}</button>
        {dirty && <button type="button" className="btn" onClick={() => { setName(node.name); setAreaClass(node.areaClass); }}>{t('common.reset')}</button>}
        {saved && <span className="ok-text">{t('common.saved')}</span>}
      </div>
      <ErrorPanel error={error ?? undefined} />
    </form>
  );
}

import { useState } from 'react';
import { updateClass, type CatalogClass } from '../api/catalog.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { OriginBadge } from './OriginBadge.tsx';
import { FieldIssue } from './field-issues.tsx';
import { useSubmit } from '../hooks/useSubmit.ts';

const COLUMNS = 8;

/** One class of the catalog; an administrator renames it or takes it out of use (classes are never deleted). */
export function ClassRow({ c, editable, onSaved }: { c: CatalogClass; editable: boolean; onSaved: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(c.name);
  const [active, setActive] = useState(c.active);
  const { busy, error, setError, run } = useSubmit();

  const open = () => { setName(c.name); setActive(c.active); setError(undefined); setEditing(true); };
  const save = async () => {
    const patch = { ...(name.trim() !== c.name ? { name: name.trim() } : {}), ...(active !== c.active ? { active } : {}) };
    if (Object.keys(patch).length === 0) { setEditing(false); return; }
    await run(async () => {
      await updateClass(c.id, patch);
      setEditing(false);
      onSaved();
    });
  };

  return (
    <>
      <tr className={c.active ? '' : 'inactive'} data-code={c.code}>
        <td className="mono">{c.code}</td>
        <td>{c.name}</td>
        <td>{t(c.kind === 'component' ? 'kind.component' : 'kind.matter')}</td>
        <td><span className="mono muted">{c.majorCode}</span> {c.majorName}</td>
        <td><OriginBadge origin={c.origin} note={c.sourceNote} /></td>
        <td className="small muted">
          {c.componentCode && <span className="mono">{t('catalog.derivedFrom')} {c.componentCode} </span>}
          {c.sourceNote ?? ''}
        </td>
        <td>{c.active ? t('common.yes') : t('common.no')}</td>
        {editable && (
          <td>
            <button type="button" className="btn small" aria-label={t('catalogClass.editOf', { code: c.code })} onClick={() => (editing ? setEditing(false) : open())}>
              {editing ? t('basedata.cancel') : t('basedata.edit')}
            </button>
          </td>
        )}
      </tr>
      {editing && (
        <tr>
          <td colSpan={COLUMNS}>
            <form className="action-form" aria-label={t('catalogClass.editOf', { code: c.code })} onSubmit={(e) => { e.preventDefault(); void save(); }}>
              <div className="toolbar">
                <label className="inline-field grow">
                  <span>{t('catalog.name')}</span>
                  <input value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
                </label>
                <FieldIssue error={error} fields={['name']} />
                <label className="inline-field">
                  <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
                  <span>{t('catalogClass.inUse')}</span>
                </label>
                <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.saving') : t('common.save')}</button>
              </div>
              {!active && c.active && <div className="muted small">{t('catalogClass.deactivateHelp')}</div>}
              <ErrorPanel error={error} />
            </form>
          </td>
        </tr>
      )}
    </>
  );
}

import { useState } from 'react';
import { updateDepartment, type DepartmentRow as Row } from '../api/departments.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { FieldIssue } from '../catalog/field-issues.tsx';
import { DEPARTMENT_KIND_LABEL } from '../labels.ts';
import { useSubmit } from '../hooks/useSubmit.ts';

const COLUMNS = 7;

/** One department: rename or re-phone it, take it out of use or back (departments are never deleted). */
export function DepartmentRow({ department: d, editable, onSaved }: { department: Row; editable: boolean; onSaved: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(d.name);
  const [phone, setPhone] = useState(d.phone ?? '');
  const { busy, error, setError, run } = useSubmit();
  const kindLabel = DEPARTMENT_KIND_LABEL[d.kind];

  const send = async (patch: { name?: string; phone?: string; active?: boolean }) => {
    await run(async () => {
      await updateDepartment(d.code, patch);
      setEditing(false);
      onSaved();
    });
  };
  const save = () => {
    const patch = { ...(name.trim() !== d.name ? { name: name.trim() } : {}), ...(phone.trim() !== (d.phone ?? '') ? { phone: phone.trim() } : {}) };
    if (Object.keys(patch).length === 0) setEditing(false);
    else void send(patch);
  };
  const toggleActive = () => {
    if (d.active && !window.confirm(t('departments.deactivateConfirm', { name: d.name }))) return;
    void send({ active: !d.active });
  };

  return (
    <>
      <tr className={d.active ? '' : 'inactive'} data-code={d.code}>
        <td className="mono">{d.code}</td>
        <td>{d.name}</td>
        <td>{kindLabel ? t(kindLabel) : d.kind}</td>
        <td>{d.territoryName} <span className="mono muted small">{d.territoryCode}</span></td>
        <td>{d.phone ?? ''}</td>
        <td><span className={`badge ${d.active ? 'ok' : 'plain'}`}>{d.active ? t('departments.active') : t('departments.inactive')}</span></td>
        {editable && (
          <td className="nowrap">
            <button type="button" className="btn small" aria-label={t('departments.editOf', { code: d.code })} onClick={() => { setName(d.name); setPhone(d.phone ?? ''); setError(undefined); setEditing((v) => !v); }}>
              {editing ? t('basedata.cancel') : t('basedata.edit')}
            </button>{' '}
            <button type="button" className="btn small" disabled={busy} aria-label={t(d.active ? 'departments.deactivateOf' : 'departments.activateOf', { code: d.code })} onClick={toggleActive}>
              {d.active ? t('departments.deactivate') : t('departments.activate')}
            </button>
          </td>
        )}
      </tr>
      {(editing || (!editing && error !== undefined)) && (
        <tr>
          <td colSpan={COLUMNS}>
            {editing && (
              <form className="action-form" aria-label={t('departments.editOf', { code: d.code })} onSubmit={(e) => { e.preventDefault(); save(); }}>
                <div className="toolbar">
                  <label className="inline-field grow"><span>{t('departments.name')}</span><input value={name} maxLength={60} onChange={(e) => setName(e.target.value)} /></label>
                  <FieldIssue error={error} fields={['name']} />
                  <label className="inline-field"><span>{t('departments.phone')}</span><input value={phone} maxLength={30} onChange={(e) => setPhone(e.target.value)} /></label>
                  <FieldIssue error={error} fields={['phone']} />
                  <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.saving') : t('common.save')}</button>
                </div>
              </form>
            )}
            <ErrorPanel error={error} />
          </td>
        </tr>
      )}
    </>
  );
}

import { useState, type FormEvent } from 'react';
import { replaceGrants, type Department, type UserRow } from '../api/users.ts';
import type { TerritoryNode } from '../api/territory.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { draftsFrom, grantBodies, scopeOf, type GrantDraft } from './grants.ts';

interface GrantsEditorProps {
  user: UserRow;
  departments: readonly Department[];
  nodes: readonly TerritoryNode[];
  onSaved: () => void;
}

/**
 * A user's grants (PUT /api/users/:id/grants): several roles, each with its scope — a territory node for the
 * staff of the command centre and the governments, a department for a department's staff. The server
 * replaces them all or refuses naming the field (grants[1].territoryCode) and changes nothing.
 */
export function GrantsEditor({ user, departments, nodes, onSaved }: GrantsEditorProps) {
  const { t } = useI18n();
  const { roles, roleLabel } = useSession();
  const roleNames = Object.keys(roles?.roles ?? {});
  const [grants, setGrants] = useState<GrantDraft[]>(() => draftsFrom(user.grants));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const nodeName = new Map(nodes.map((n) => [n.code, n.name]));
  const listId = `territory-nodes-${user.id}`;

  const set = (i: number, patch: Partial<GrantDraft>) => { setSaved(false); setGrants((gs) => gs.map((g, j) => (j === i ? { ...g, ...patch } : g))); };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      await replaceGrants(user.id, grantBodies(grants));
      setSaved(true);
      onSaved();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="action-form" onSubmit={submit} aria-label={t('userEdit.grants')}>
      <strong>{t('userEdit.grants')}</strong>
      <datalist id={listId}>
        {nodes.map((n) => <option key={n.code} value={n.code}>{n.name}</option>)}
      </datalist>
      {grants.map((g, i) => {
        const scope = scopeOf(g.role);
        return (
          <div key={i} className="toolbar grant-row" style={{ margin: 0 }}>
            <label className="inline-field">
              <span>{t('users.role')}</span>
              <select value={g.role} aria-label={t('users.role')} onChange={(e) => set(i, { role: e.target.value })}>
                {!roleNames.includes(g.role) && <option value={g.role}>{g.role}</option>}
                {roleNames.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
              </select>
            </label>
            {scope === 'territory' && (
              <label className="inline-field">
                <span>{t('users.territoryCode')}</span>
                <input className="mono" list={listId} aria-label={t('users.territoryCode')} value={g.territoryCode} onChange={(e) => set(i, { territoryCode: e.target.value })} />
                <span className="muted small">{nodeName.get(g.territoryCode.trim()) ?? ''}</span>
              </label>
            )}
            {scope === 'department' && (
              <label className="inline-field">
                <span>{t('users.department')}</span>
                <select value={g.departmentCode} aria-label={t('users.department')} onChange={(e) => set(i, { departmentCode: e.target.value })}>
                  <option value="">{t('userEdit.chooseDepartment')}</option>
                  {g.departmentCode && !departments.some((d) => d.code === g.departmentCode) && <option value={g.departmentCode}>{g.departmentCode}</option>}
                  {departments.map((d) => <option key={d.code} value={d.code}>{d.name}（{d.code}）</option>)}
                </select>
              </label>
            )}
            {scope === 'none' && <span className="muted">{t('users.noScope')}</span>}
            <span className="spacer" />
            <button type="button" className="btn small" disabled={grants.length <= 1} onClick={() => { setSaved(false); setGrants((gs) => gs.filter((_, j) => j !== i)); }}>
              {t('userEdit.removeGrant')}
            </button>
          </div>
        );
      })}
      <div className="form-actions">
        <button type="button" className="link-btn" onClick={() => { setSaved(false); setGrants((gs) => [...gs, { role: roleNames.includes('inspector') ? 'inspector' : roleNames[0] ?? '', territoryCode: '', departmentCode: '' }]); }}>
          + {t('userEdit.addGrant')}
        </button>
        <span className="spacer" />
        <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.saving') : t('userEdit.saveGrants')}</button>
        {saved && <span className="ok-text small">{t('common.saved')}</span>}
      </div>
      <div className="muted small">{t('userEdit.grantsNote')}</div>
      <ErrorPanel error={error} />
    </form>
  );
}

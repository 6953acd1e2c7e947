import { useState, type FormEvent } from 'react';
import { createUser, listDepartments, listUsers, type UserGrant } from '../api/users.ts';
import { listNodes, type TerritoryLevel, type TerritoryNode } from '../api/territory.ts';
import { useApi, useDebounced } from '../hooks/useApi.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../shell/session.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, Loading, PageHeader } from '../components/Status.tsx';
import { UserEditor } from './UserEditor.tsx';

const LIMIT = 50;

/** The scopes an administrator picks from: departments, and the territory down to the streets (grids are typed). */
const SCOPE_LEVELS: TerritoryLevel[] = ['city', 'district', 'street', 'community'];

/** 用户: users with their role grants and each grant's scope (territory subtree or department); the administrator edits them. */
export function UsersPage() {
  const { t } = useI18n();
  const { roles, roleLabel, can, me } = useSession();
  const canWrite = can('user.write');
  const [editing, setEditing] = useState<number | null>(null);
  const departments = useApi((signal) => (canWrite && editing !== null ? listDepartments(signal) : Promise.resolve(null)), [canWrite, editing !== null]);
  const nodes = useApi(async (signal): Promise<TerritoryNode[] | null> => {
    if (!canWrite || editing === null) return null;
    const pages = await Promise.all(SCOPE_LEVELS.map((level) => listNodes({ level, limit: 1000 }, signal)));
    return pages.flatMap((p) => p.items);
  }, [canWrite, editing !== null]);
  const [creating, setCreating] = useState(false);
  const [role, setRole] = useState('');
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const search = useDebounced(q.trim());
  const users = useApi((signal) => listUsers({ role, q: search, limit: LIMIT, offset }, signal), [role, search, offset]);

  const scope = (g: UserGrant) => {
    if (g.departmentName || g.departmentCode) return <span title={g.departmentCode ?? ''}>{t('users.department')}: {g.departmentName ?? g.departmentCode}</span>;
    if (g.territoryName || g.territoryCode) return <span title={g.territoryCode ?? ''}>{t('users.territory')}: {g.territoryName ?? g.territoryCode}</span>;
    return <span className="muted">{t('users.noScope')}</span>;
  };

  return (
    <div className="page">
      <PageHeader title={t('users.title')}>{can('user.write') && <button type="button" className="btn" onClick={() => setCreating((v) => !v)}>{t('users.new')}</button>}</PageHeader>
      {creating && <NewUserForm roles={Object.keys(roles?.roles ?? {})} roleLabel={roleLabel} onDone={() => { setCreating(false); users.reload(); }} />}
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('users.role')}</span>
          <select value={role} onChange={(e) => { setRole(e.target.value); setOffset(0); }}>
            <option value="">{t('common.all')}</option>
            {Object.keys(roles?.roles ?? {}).map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
          </select>
        </label>
        <label className="inline-field grow">
          <span>{t('common.search')}</span>
          <input type="search" value={q} placeholder={t('users.searchPlaceholder')} onChange={(e) => { setQ(e.target.value); setOffset(0); }} />
        </label>
        {users.loading && <Loading inline />}
      </div>
      <ErrorPanel error={users.error} />
      {users.data ? (
        <>
          <table className="grid-table">
            <thead>
              <tr>
                <th style={{ width: 140 }}>{t('users.username')}</th>
                <th style={{ width: 140 }}>{t('users.displayName')}</th>
                <th style={{ width: 80 }}>{t('users.status')}</th>
                <th>{t('users.grants')}</th>
                {canWrite && <th style={{ width: 70 }} />}
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => [
                <tr key={u.id} className={u.status === 'active' ? '' : 'inactive'}>
                  <td className="mono">{u.username}</td>
                  <td>{u.displayName}</td>
                  <td>
                    <span className={`badge ${u.status === 'active' ? 'ok' : 'plain'}`}>
                      {u.status === 'active' ? t('users.active') : u.status === 'disabled' ? t('users.disabled') : u.status}
                    </span>
                  </td>
                  <td>
                    {u.grants.length === 0 ? <span className="muted">—</span> : (
                      <ul className="grant-list">
                        {u.grants.map((g, i) => (
                          <li key={i}><span className="badge plain">{roleLabel(g.role)}</span> {scope(g)}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  {canWrite && (
                    <td>
                      <button type="button" className="link-btn" aria-expanded={editing === u.id} onClick={() => setEditing(editing === u.id ? null : u.id)}>
                        {editing === u.id ? t('userEdit.close') : t('userEdit.edit')}
                      </button>
                    </td>
                  )}
                </tr>,
                editing === u.id && (
                  <tr key={`${u.id}-edit`}>
                    <td colSpan={5}>
                      {/* width 0 / min-width 100%: the editor takes the row's width without widening the table's columns. */}
                      <div style={{ width: 0, minWidth: '100%' }}>
                        <ErrorPanel error={departments.error ?? nodes.error} />
                        {departments.data && nodes.data ? (
                          <UserEditor
                            key={u.id} user={u} self={me?.id === u.id} departments={departments.data.items} nodes={nodes.data}
                            onChanged={users.reload} onClose={() => setEditing(null)}
                          />
                        ) : <Loading />}
                      </div>
                    </td>
                  </tr>
                ),
              ])}
            </tbody>
          </table>
          {users.data.items.length === 0 && <Empty />}
          <Pager total={users.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      ) : !users.error && <Loading />}
    </div>
  );
}

/** A new account with one role grant and its scope (a territory code, or a department code for a department's staff). */
function NewUserForm({ roles, roleLabel, onDone }: { roles: string[]; roleLabel: (r: string) => string; onDone: () => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState(roles.find((r) => r === 'inspector') ?? roles[0] ?? '');
  const [scope, setScope] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const grant = role === 'department' ? { role, departmentCode: scope.trim() } : role === 'public' ? { role } : { role, territoryCode: scope.trim() };
    try {
      await createUser({ username: username.trim(), displayName: displayName.trim(), password, grants: [grant] });
      onDone();
    } catch (cause) { setError(cause); }
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label={t('users.new')}>
      <div className="toolbar">
        <label className="inline-field"><span>{t('users.username')}</span><input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" /></label>
        <label className="inline-field"><span>{t('users.displayName')}</span><input value={displayName} onChange={(e) => setDisplayName(e.target.value)} /></label>
        <label className="inline-field"><span>{t('users.password')}</span><input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" /></label>
      </div>
      <div className="toolbar">
        <label className="inline-field"><span>{t('users.role')}</span><select value={role} onChange={(e) => setRole(e.target.value)}>{roles.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}</select></label>
        {role !== 'public' && <label className="inline-field grow"><span>{role === 'department' ? t('users.departmentCode') : t('users.territoryCode')}</span><input value={scope} onChange={(e) => setScope(e.target.value)} /></label>}
        <button type="submit" className="btn primary">{t('cases.confirm')}</button>
      </div>
      <ErrorPanel error={error} />
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { updateUser, type Department, type UserPatch, type UserRow } from '../api/users.ts';
import type { TerritoryNode } from '../api/territory.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { GrantsEditor } from './GrantsEditor.tsx';

interface UserEditorProps {
  user: UserRow;
  /** The signed-in administrator's own account: it cannot be disabled from here (that would lock them out). */
  self: boolean;
  departments: readonly Department[];
  nodes: readonly TerritoryNode[];
  onChanged: () => void;
  onClose: () => void;
}

/** One user's account (PATCH /api/users/:id), password reset and grants. */
export function UserEditor({ user, self, departments, nodes, onChanged, onClose }: UserEditorProps) {
  const { t } = useI18n();
  return (
    <div className="user-editor">
      <AccountForm user={user} self={self} onChanged={onChanged} />
      <PasswordForm user={user} />
      <GrantsEditor user={user} departments={departments} nodes={nodes} onSaved={onChanged} />
      <div className="form-actions"><button type="button" className="btn" onClick={onClose}>{t('userEdit.close')}</button></div>
    </div>
  );
}

function AccountForm({ user, self, onChanged }: { user: UserRow; self: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [phone, setPhone] = useState(user.phone ?? '');
  const [status, setStatus] = useState(user.status === 'disabled' ? 'disabled' : 'active');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const patch: UserPatch = {};
    if (displayName !== user.displayName) patch.displayName = displayName;
    if (phone.trim() !== (user.phone ?? '')) patch.phone = phone.trim() || null;
    if (status !== user.status) patch.status = status as 'active' | 'disabled';
    setError(undefined);
    setSaved(false);
    if (Object.keys(patch).length === 0) { setSaved(true); return; }
    setBusy(true);
    try {
      await updateUser(user.id, patch);
      setSaved(true);
      onChanged();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="action-form" onSubmit={submit} aria-label={t('userEdit.account')}>
      <strong>{t('userEdit.account')} · <span className="mono">{user.username}</span></strong>
      <div className="toolbar" style={{ margin: 0 }}>
        <label className="inline-field"><span>{t('users.displayName')}</span><input value={displayName} onChange={(e) => setDisplayName(e.target.value)} /></label>
        <label className="inline-field"><span>{t('userEdit.phone')}</span><input value={phone} onChange={(e) => setPhone(e.target.value)} /></label>
        <label className="inline-field">
          <span>{t('users.status')}</span>
          <select value={status} disabled={self} onChange={(e) => setStatus(e.target.value)}>
            <option value="active">{t('users.active')}</option>
            <option value="disabled">{t('users.disabled')}</option>
          </select>
        </label>
        <button type="submit" className="btn primary" disabled={busy}>{busy ? t('common.saving') : t('common.save')}</button>
        {saved && <span className="ok-text small">{t('common.saved')}</span>}
      </div>
      <div className="muted small">{self ? t('userEdit.selfNote') : t('userEdit.disableNote')}</div>
      <ErrorPanel error={error} />
    </form>
  );
}

function PasswordForm({ user }: { user: UserRow }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(false);
    try {
      await updateUser(user.id, { password });
      setPassword('');
      setDone(true);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="action-form" onSubmit={submit} aria-label={t('userEdit.resetPassword')}>
      <div className="toolbar" style={{ margin: 0 }}>
        <label className="inline-field">
          <span>{t('userEdit.newPassword')}</span>
          <input type="password" value={password} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="submit" className="btn" disabled={busy}>{t('userEdit.resetPassword')}</button>
        {done && <span className="ok-text small">{t('userEdit.passwordReset')}</span>}
      </div>
      <ErrorPanel error={error} />
    </form>
  );
}

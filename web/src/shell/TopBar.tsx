import { useI18n } from '../i18n/index.tsx';
import { useSession } from './session.tsx';
import { LangSwitch } from './LangSwitch.tsx';

export function TopBar() {
  const { t } = useI18n();
  const { me, roleLabel, signOut } = useSession();
  const roles = [...new Set(me?.grants.map((g) => g.role) ?? [])];
  return (
    <header className="topbar">
      <div className="topbar-brand">
        <span className="brand-mark small">城</span>
        <span className="topbar-title">{t('app.title')}</span>
        <span className="topbar-sub">{t('app.subtitle')}</span>
      </div>
      <div className="topbar-right">
        {me && (
          <span className="topbar-user" title={me.username}>
            <strong>{me.displayName}</strong>
            {roles.map((role) => <span key={role} className="role-chip">{roleLabel(role)}</span>)}
          </span>
        )}
        <LangSwitch />
        <button type="button" className="btn ghost small" onClick={() => void signOut()}>{t('topbar.logout')}</button>
      </div>
    </header>
  );
}

import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from './session.tsx';
import { LangSwitch } from './LangSwitch.tsx';

export function LoginPage() {
  const { t } = useI18n();
  const { signIn, expired } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError(t('login.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (cause) {
      if (cause instanceof ApiError && (cause.status === 401 || cause.status === 400 || cause.status === 403)) setError(t('login.failed', { detail: cause.message }));
      else if (cause instanceof ApiError && cause.status === 0) setError(t('error.network', { detail: cause.message }));
      else setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <div className="login-lang"><LangSwitch /></div>
      <form className="login-card" onSubmit={submit} noValidate>
        <div className="login-brand">
          <div className="brand-mark">城</div>
          <div>
            <div className="login-title">{t('app.title')}</div>
            <div className="muted">{t('login.subtitle')}</div>
          </div>
        </div>
        {expired && !error && <div className="notice warn">{t('login.expired')}</div>}
        <label className="field">
          <span>{t('login.username')}</span>
          <input autoFocus autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <div className="error-panel" role="alert"><div className="error-message">{error}</div></div>}
        <button type="submit" className="btn primary block" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
        <a className="login-public" href="#/public/report">{t('portal.nav.report')}</a>
        <a className="login-public" href="#/public/rankings">{t('login.publicRankings')}</a>
      </form>
    </div>
  );
}

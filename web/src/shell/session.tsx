import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, onUnauthorized, tokenStore } from '../api/client.ts';
import { fetchMe, fetchRoles, login, logout, type Me, type RolesInfo } from '../api/auth.ts';
import { useI18n } from '../i18n/index.tsx';

export type SessionStatus = 'checking' | 'anonymous' | 'ready';

interface SessionValue {
  status: SessionStatus;
  me: Me | null;
  roles: RolesInfo | null;
  /** Set when the server ended the session (expired, revoked); shown on the login page. */
  expired: boolean;
  can: (permission: string) => boolean;
  roleLabel: (role: string) => string;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);
/** The last session the server confirmed, for a reload without a network. */
const SESSION_COPY = 'cityops.session';

async function loadSession(): Promise<{ me: Me; roles: RolesInfo | null }> {
  const [me, roles] = await Promise.all([fetchMe(), fetchRoles().catch(() => null)]);
  return { me, roles };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  const [status, setStatus] = useState<SessionStatus>(tokenStore.get() ? 'checking' : 'anonymous');
  const [me, setMe] = useState<Me | null>(null);
  const [roles, setRoles] = useState<RolesInfo | null>(null);
  const [expired, setExpired] = useState(false);

  const reset = useCallback((wasExpired: boolean) => {
    tokenStore.clear();
    sessionStorage.removeItem(SESSION_COPY);
    setMe(null);
    setExpired(wasExpired);
    setStatus('anonymous');
  }, []);

  useEffect(() => {
    onUnauthorized(() => reset(true));
    if (tokenStore.get()) {
      loadSession().then(
        (s) => { setMe(s.me); setRoles(s.roles); setStatus('ready'); sessionStorage.setItem(SESSION_COPY, JSON.stringify(s)); },
        (error: unknown) => {
          // Offline (the inspector's phone on patrol): carry on with the session last seen; the server
          // still decides on every request once the network is back.
          const copy = sessionStorage.getItem(SESSION_COPY);
          if (error instanceof ApiError && error.status === 0 && copy) {
            const s = JSON.parse(copy) as { me: Me; roles: RolesInfo | null };
            setMe(s.me); setRoles(s.roles); setStatus('ready');
            return;
          }
          reset(error instanceof ApiError && error.status === 401);
        },
      );
    }
    return () => onUnauthorized(null);
  }, [reset]);

  const signIn = useCallback(async (username: string, password: string) => {
    const result = await login(username, password);
    tokenStore.set(result.token);
    const s = await loadSession();
    sessionStorage.setItem(SESSION_COPY, JSON.stringify(s));
    setMe(s.me);
    setRoles(s.roles);
    setExpired(false);
    setStatus('ready');
  }, []);

  const signOut = useCallback(async () => {
    try {
      await logout();
    } catch {
      // The session is dropped locally either way.
    }
    reset(false);
  }, [reset]);

  const value = useMemo<SessionValue>(() => ({
    status, me, roles, expired, signIn, signOut,
    can: (permission) => me?.permissions.includes(permission) ?? false,
    roleLabel: (role) => roles?.roles[role]?.[lang] ?? role,
  }), [status, me, roles, expired, signIn, signOut, lang]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

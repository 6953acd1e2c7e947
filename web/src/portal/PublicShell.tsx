import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { LangSwitch } from '../shell/LangSwitch.tsx';

/** The frame of the public pages: what a citizen can do, and the staff sign-in. */
export function PublicShell({ current, children }: { current: string; children: ReactNode }) {
  const { t } = useI18n();
  const links: [string, string][] = [['/public/report', t('portal.nav.report')], ['/public/track', t('portal.nav.track')], ['/public/rankings', t('portal.nav.rankings')], ['/public/credit', t('portal.nav.credit')]];
  return (
    <div className="public-page">
      <header className="public-header">
        <div className="brand-mark">城</div>
        <strong className="public-brand">{t('portal.title')}</strong>
        <nav className="public-nav" aria-label={t('portal.nav.label')}>
          {links.map(([path, label]) => <a key={path} href={`#${path}`} className={current === path ? 'active' : ''}>{label}</a>)}
        </nav>
        <span className="grow" />
        <a href="#/">{t('public.signIn')}</a>
        <LangSwitch />
      </header>
      {children}
    </div>
  );
}

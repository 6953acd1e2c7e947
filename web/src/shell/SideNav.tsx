import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import type { Section } from './sections.ts';

export function SideNav({ sections, current }: { sections: Section[]; current: string }) {
  const { t } = useI18n();
  return (
    <nav className="sidenav" aria-label={t('nav.label')}>
      {sections.map((s) => (
        <Link key={s.path} to={s.path} className={current === s.path ? 'nav-item active' : 'nav-item'}>
          <span className="nav-icon" aria-hidden="true">{s.icon}</span>
          {t(s.label)}
        </Link>
      ))}
    </nav>
  );
}

import { useI18n } from '../i18n/index.tsx';
import { Link } from '../router.ts';
import { GROUP_LABEL, type Section } from './sections.ts';

/** The sections one may open, under their headings (业务办理, 综合考评, 基础数据, 系统管理); a heading with one's only section is still shown, for a stable layout. */
export function SideNav({ sections, current }: { sections: Section[]; current: string }) {
  const { t } = useI18n();
  const groups = [...new Set(sections.map((s) => s.group))];
  return (
    <nav className="sidenav" aria-label={t('nav.label')}>
      {groups.map((g) => (
        <div key={g} className="nav-group">
          {groups.length > 1 && <div className="nav-group-title">{t(GROUP_LABEL[g])}</div>}
          {sections.filter((s) => s.group === g).map((s) => (
            <Link key={s.path} to={s.path} className={current === s.path ? 'nav-item active' : 'nav-item'}>
              <span className="nav-icon" aria-hidden="true">{s.icon}</span>
              {t(s.label)}
            </Link>
          ))}
        </div>
      ))}
    </nav>
  );
}

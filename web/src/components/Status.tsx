import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';

export function Loading({ inline }: { inline?: boolean }) {
  const { t } = useI18n();
  return <div className={inline ? 'loading inline' : 'loading'}>{t('common.loading')}</div>;
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return <div className="empty">{children ?? t('common.empty')}</div>;
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children && <div className="page-header-extra">{children}</div>}
    </header>
  );
}

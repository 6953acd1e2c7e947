import { useEffect, type ReactNode } from 'react';
import { useI18n } from './i18n/index.tsx';
import { navigate, useRoute } from './router.ts';
import { useSession } from './shell/session.tsx';
import { LoginPage } from './shell/LoginPage.tsx';
import { TopBar } from './shell/TopBar.tsx';
import { SideNav } from './shell/SideNav.tsx';
import { SECTIONS } from './shell/sections.ts';
import { Loading } from './components/Status.tsx';
import { TerritoryPage } from './territory/TerritoryPage.tsx';
import { CatalogPage } from './catalog/CatalogPage.tsx';
import { StandardsPage } from './standards/StandardsPage.tsx';
import { CalendarPage } from './calendar/CalendarPage.tsx';
import { UsersPage } from './users/UsersPage.tsx';
import { ApiKeysPage } from './apikeys/ApiKeysPage.tsx';
import { DepartmentsPage } from './departments/DepartmentsPage.tsx';
import { EvaluationPage } from './evaluation/EvaluationPage.tsx';
import { RoundsPage } from './evaluation/RoundsPage.tsx';
import { ChecklistPage } from './evaluation/ChecklistPage.tsx';
import { SchemePage } from './evaluation/SchemePage.tsx';
import { EvaluatorPage } from './evaluation/EvaluatorPage.tsx';
import { CasesPage } from './cases/CasesPage.tsx';
import { MapPage } from './map/MapPage.tsx';
import { DepartmentReportPage } from './reports/DepartmentReportPage.tsx';
import { InspectorPage } from './inspector/InspectorPage.tsx';
import { MyReportsPage } from './portal/MyReportsPage.tsx';
import { DashboardPage } from './dashboard/DashboardPage.tsx';
import { BigScreenPage } from './dashboard/BigScreenPage.tsx';
import { PublicRankingsPage } from './evaluation/PublicRankingsPage.tsx';
import { PublicShell } from './portal/PublicShell.tsx';
import { ReportPage } from './portal/ReportPage.tsx';
import { TrackPage } from './portal/TrackPage.tsx';

const PAGES: Record<string, () => ReactNode> = {
  '/dashboard': () => <DashboardPage />,
  '/bigscreen': () => <BigScreenPage />,
  '/inspector': () => <InspectorPage />,
  '/my-reports': () => <MyReportsPage />,
  '/cases': () => <CasesPage />,
  '/map': () => <MapPage />,
  '/reports/departments': () => <DepartmentReportPage />,
  '/territory': () => <TerritoryPage />,
  '/catalog': () => <CatalogPage />,
  '/standards': () => <StandardsPage />,
  '/calendar': () => <CalendarPage />,
  '/evaluation': () => <EvaluationPage />,
  '/evaluation/rounds': () => <RoundsPage />,
  '/evaluation/checklists': () => <ChecklistPage />,
  '/evaluation/schemes': () => <SchemePage />,
  '/evaluator': () => <EvaluatorPage />,
  '/users': () => <UsersPage />,
  '/api-keys': () => <ApiKeysPage />,
  '/departments': () => <DepartmentsPage />,
};

const PUBLIC_PAGES: Record<string, () => ReactNode> = {
  '/public/report': () => <ReportPage />,
  '/public/track': () => <TrackPage />,
  '/public/rankings': () => <PublicRankingsPage />,
};

export function App() {
  const { status } = useSession();
  const route = useRoute();
  // The public pages need no account.
  const publicPage = PUBLIC_PAGES[route.path];
  if (publicPage) return <PublicShell current={route.path}>{publicPage()}</PublicShell>;
  if (status === 'checking') return <div className="splash"><Loading /></div>;
  if (status === 'anonymous') return <LoginPage />;
  return <Workspace />;
}

function Workspace() {
  const { t } = useI18n();
  const { can, me } = useSession();
  const route = useRoute();
  const allowed = SECTIONS.filter((s) => can(s.permission) && (!s.roles || s.roles.some((r) => me?.grants.some((g) => g.role === r))));
  const current = allowed.find((s) => s.path === route.path);
  const first = allowed[0];

  useEffect(() => {
    if (!current && first) navigate(first.path, undefined, true);
  }, [current, first]);

  const render = current ? PAGES[current.path] : undefined;
  return (
    <div className="app">
      <TopBar />
      <div className="app-body">
        <SideNav sections={allowed} current={current?.path ?? ''} />
        <main className="content">
          {render ? render() : allowed.length === 0 ? <div className="empty">{t('nav.nothing')}</div> : <Loading />}
        </main>
      </div>
    </div>
  );
}

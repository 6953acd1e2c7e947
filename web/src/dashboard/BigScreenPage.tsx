import { useEffect, useState } from 'react';
import { DashboardPage } from './DashboardPage.tsx';

/** 大屏: the leaders' dashboard on a dark full screen for a command centre, refreshed every minute. */
export function BigScreenPage() {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return <div className="bigscreen"><DashboardPage key={tick} dark /></div>;
}

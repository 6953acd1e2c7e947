// An ECharts chart, the library loaded on first use (and only its parts in use) so that it stays out of the main bundle.
import { useEffect, useRef } from 'react';

type Option = Record<string, unknown>;

const loadEcharts = () => import('./echarts-setup.ts');

export function Chart({ option, height = 260, label }: { option: Option; height?: number; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<{ setOption: (o: Option, notMerge?: boolean) => void; resize: () => void; dispose: () => void } | null>(null);
  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void loadEcharts().then((echarts) => {
      if (disposed || !ref.current) return;
      const instance = echarts.init(ref.current, undefined, { renderer: 'canvas' });
      chart.current = instance as unknown as NonNullable<typeof chart.current>;
      chart.current.setOption(option, true);
      observer = new ResizeObserver(() => chart.current?.resize());
      observer.observe(ref.current);
    });
    return () => { disposed = true; observer?.disconnect(); chart.current?.dispose(); chart.current = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- created once; options follow below
  }, []);
  useEffect(() => { chart.current?.setOption(option, true); }, [option]);
  return <div ref={ref} className="chart" style={{ height }} role="img" aria-label={label} />;
}

import type { StateCount } from '../api/cases.ts';
import { useI18n } from '../i18n/index.tsx';

/**
 * 工作台: one tile per state of the queue with its count and how many are red or yellow; a tile filters the
 * list to its state (a second click clears it). The states come from the workflow table, so a state with
 * nothing in it still shows as 0.
 */
export function WorkbenchTiles({ states, counts, selected, onSelect }: {
  states: { name: string; label: string }[];
  counts: StateCount[] | undefined;
  selected: string;
  onSelect: (state: string) => void;
}) {
  const { t, num } = useI18n();
  const byState = new Map((counts ?? []).map((c) => [c.state, c]));
  return (
    <div className="kpis workbench" role="group" aria-label={t('cases.workbench')}>
      {states.map((s) => {
        const c = byState.get(s.name);
        return (
          <button key={s.name} type="button" className={`kpi tile${selected === s.name ? ' active' : ''}`} aria-pressed={selected === s.name}
            onClick={() => onSelect(selected === s.name ? '' : s.name)}>
            <span>{s.label}</span>
            <strong>{counts ? num(c?.total ?? 0) : '…'}</strong>
            <small className="tile-lights">
              {(c?.red ?? 0) > 0 && <em className="light-count red">{t('cases.redCount', { n: num(c!.red) })}</em>}
              {(c?.yellow ?? 0) > 0 && <em className="light-count yellow">{t('cases.yellowCount', { n: num(c!.yellow) })}</em>}
            </small>
          </button>
        );
      })}
    </div>
  );
}

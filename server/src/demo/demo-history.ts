// A year of the demo city's cases as a history log: reports from every source with seasons, weekdays
// and hours, and each case's steps with the delays and habits of the people and departments involved.
// The log is imported through the public history import, so every event obeys the workflow table.
import type { WorkCalendar } from '@cityops/domain/calendar/work-calendar';
import { CASE_SOURCES, type CaseSource } from '@cityops/domain/workflow/case-sources';
import { GridIndex } from '@cityops/domain/geo/grid-index';
import { bboxOf } from '@cityops/domain/geo/geometry';
import type { HistoryRecord } from '../cases/history/history-records.ts';
import type { ReplayWorld } from '../cases/history/replay-world.ts';
import type { TerritoryNodeSeed } from './city-layout.ts';
import { COMPONENT_SHARE, DESCRIPTION_TEMPLATES, FLOW, MATTER_MIX, MONTH_FACTOR, SOURCE_MIX, seasonFactor } from './demo-history-mix.ts';
import { simulateCase, type CaseFacts, type StaffDirectory } from './demo-case-flow.ts';
import { personName } from './demo-organisation.ts';
import { createRandom, cumulative, pick, pickWeighted, type Random } from '@cityops/domain/random';

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

export interface DemoHistoryOptions {
  seed: number;
  /** The log covers the 365 days before this instant; cases still open then stay open. */
  until: number;
  casesPerGridYear: number;
}

export interface DemoHistoryInput {
  world: ReplayWorld;
  calendar: WorkCalendar;
  nodes: readonly TerritoryNodeSeed[];
  components: readonly { code: string; classCode: string; lon: number; lat: number; maintainerDepartmentId: number | null }[];
  staff: StaffDirectory;
}

interface GridPlace { grid: TerritoryNodeSeed; community: TerritoryNodeSeed; street: TerritoryNodeSeed; weight: number }


export async function generateDemoHistory(input: DemoHistoryInput, options: DemoHistoryOptions): Promise<HistoryRecord[]> {
  const random = createRandom(options.seed ^ 0x5eed_ca5e);
  const byCode = new Map(input.nodes.map((n) => [n.code, n]));
  const gridNodes = input.nodes.filter((n) => n.level === 'grid');
  // Busy city cores report more than county villages.
  const places: GridPlace[] = gridNodes.map((grid) => {
    const community = byCode.get(grid.parentCode!)!;
    return { grid, community, street: byCode.get(community.parentCode!)!, weight: [0, 1.6, 1, 0.45][grid.areaClass]! };
  });
  const placeCum = cumulative(places.map((p) => p.weight));
  const index = new GridIndex(gridNodes.map((g, i) => ({ id: i, geometry: g.geometry })));
  const gridAt = new Map(gridNodes.map((g, i) => [g.code, i]));
  const matters = MATTER_MIX.filter((m) => input.world.classByCode.get(m.code)?.active);
  const classCum = (month: number, fromPublic: boolean) => cumulative(matters.map((m) => m.weight * seasonFactor(m.season ?? 'flat', month) * (fromPublic ? m.publicFactor ?? 1 : 1)));
  const classTables = Array.from({ length: 12 }, (_, month) => ({ staff: classCum(month, false), public: classCum(month, true) }));
  const sourceCum = { work: cumulative(SOURCE_MIX.map((s) => s.share)), rest: cumulative(SOURCE_MIX.map((s) => s.share * s.restDayFactor)) };
  const restShare = SOURCE_MIX.reduce((sum, s) => sum + s.share * s.restDayFactor, 0);
  const monthMean = MONTH_FACTOR.reduce((a, b) => a + b, 0) / 12;
  const perDay = (options.casesPerGridYear * gridNodes.length) / 365;

  const reports: CaseFacts[] = [];
  // The last 365 days up to and including today (to `until`): the demo opens with the day's cases in progress.
  const startDay = Math.floor((options.until + BEIJING_MS) / DAY_MS) - 364;
  for (let day = startDay; day < startDay + 365; day++) {
    const midnight = day * DAY_MS - BEIJING_MS;
    const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    const month = Number(date.slice(5, 7)) - 1;
    const rest = !input.calendar.isWorkday(date);
    const expected = (perDay * MONTH_FACTOR[month]!) / monthMean * (rest ? restShare : 1);
    const count = Math.floor(expected + random());
    for (let k = 0; k < count; k++) {
      const source = pickWeighted(random, SOURCE_MIX, rest ? sourceCum.rest : sourceCum.work);
      const at = midnight + (source.hours[0] + random() * (source.hours[1] - source.hours[0])) * 3_600_000;
      if (at >= options.until) continue;
      const fromPublic = CASE_SOURCES[source.source].fromPublic;
      let lon: number;
      let lat: number;
      let classCode: string;
      let componentCode: string | null = null;
      let place: GridPlace | undefined;
      if (random() < COMPONENT_SHARE && input.components.length && source.source !== 'third_party') {
        const component = pick(random, input.components);
        // Positions are stored to 7 decimals: the rounded point is the one that must lie in a grid.
        lon = round7(component.lon);
        lat = round7(component.lat);
        classCode = component.classCode;
        componentCode = component.code;
        const gi = index.locate(lon, lat);
        place = gi >= 0 ? places[gi] : undefined;
      } else {
        place = pickWeighted(random, places, placeCum);
        classCode = pickWeighted(random, matters, fromPublic ? classTables[month]!.public : classTables[month]!.staff).code;
        const [minLon, minLat, maxLon, maxLat] = bboxOf(place.grid.geometry);
        const gi = gridAt.get(place.grid.code)!;
        // The point is drawn again until its rounded form (what is stored) falls in the grid: a point drawn
        // inside, on the city's edge, could round to just outside it (seeding failed so on some days).
        do {
          lon = round7(minLon + (maxLon - minLon) * random());
          lat = round7(minLat + (maxLat - minLat) * random());
        } while (index.locate(lon, lat) !== gi);
      }
      if (!place) continue;
      reports.push(describe(random, { source: source.source, at, lon: round7(lon), lat: round7(lat), classCode, componentCode, place }, input.world));
    }
  }
  reports.sort((a, b) => a.at - b.at);
  await assignDepartments(reports, input);
  const mix = new Map(matters.map((m) => [m.code, m]));
  const records: Omit<HistoryRecord, 'line'>[] = [];
  const open: CaseFacts[] = [];
  reports.forEach((facts, i) => {
    const day = new Date(facts.at + BEIJING_MS).toISOString().slice(0, 10).replaceAll('-', '');
    facts.ref = facts.source === 'hotline_12345' ? `GD${day}${String(i).padStart(6, '0')}` : `LS${day}${String(i).padStart(6, '0')}`;
    facts.selfHandle = mix.get(facts.classCode)?.selfHandle ?? 0;
    facts.suspend = mix.get(facts.classCode)?.suspend ?? 0;
    // Several citizens call about one problem: a few public reports repeat a case of the last hours nearby.
    if (CASE_SOURCES[facts.source].fromPublic && random() < FLOW.duplicateShare) {
      const target = open.findLast((o) => o.at > facts.at - 6 * 3_600_000 && o.endAt > facts.at && o.departmentCode);
      // 5 m east of the first report, unless that is past the city's edge.
      const east = round7((target?.lon ?? 0) + 0.00005);
      if (target) Object.assign(facts, { duplicateOf: target, classCode: target.classCode, componentCode: target.componentCode, lon: index.locate(east, target.lat) >= 0 ? east : target.lon, lat: target.lat, streetCode: target.streetCode, departmentCode: target.departmentCode, limit: target.limit, address: target.address });
    }
    records.push(...simulateCase(random, facts, input.staff, input.calendar, options.until));
    open.push(facts);
    if (open.length > 400) open.shift();
  });
  return records.map((r, i) => ({ ...r, line: i + 1 }));
}

/** The department and limit the 立结案标准 give each report, as intake will compute them on import. */
async function assignDepartments(reports: CaseFacts[], input: DemoHistoryInput): Promise<void> {
  const { world } = input;
  const found = await world.locator.locateMany(reports);
  const maintainer = new Map(input.components.map((c) => [c.code, c.maintainerDepartmentId]));
  reports.forEach((r, i) => {
    const place = found[i];
    const cls = world.classByCode.get(r.classCode);
    if (!place || !cls) return;
    const suggestion = world.suggest(cls.id, place, r.componentCode ? maintainer.get(r.componentCode) ?? null : null);
    r.departmentCode = suggestion.departmentId !== null ? world.departmentById.get(suggestion.departmentId)?.code ?? null : null;
    r.limit = suggestion.limit;
  });
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

function describe(random: Random, r: { source: CaseSource; at: number; lon: number; lat: number; classCode: string; componentCode: string | null; place: GridPlace }, world: ReplayWorld): CaseFacts {
  const cls = world.classByCode.get(r.classCode);
  const name = cls?.name ?? r.classCode;
  const fromPublic = CASE_SOURCES[r.source].fromPublic;
  const templates = r.source === 'inspector' ? DESCRIPTION_TEMPLATES.inspector : fromPublic ? DESCRIPTION_TEMPLATES.public : DESCRIPTION_TEMPLATES.other;
  const placeText = `${r.place.community.name}`;
  const description = pick(random, templates).replace('{place}', placeText).replace('{name}', name.replace(/异常$/, '损坏或缺失'));
  return {
    source: r.source, at: r.at, lon: r.lon, lat: r.lat, classCode: r.classCode, componentCode: r.componentCode, description, address: `${r.place.street.name}${r.place.community.name}`, streetCode: r.place.street.code,
    reporterName: fromPublic ? personName(random) : null,
    reporterPhone: fromPublic ? `1${pick(random, ['38', '39', '58', '59', '86', '87'])}${String(Math.floor(random() * 1e8)).padStart(8, '0')}` : null,
    ref: '', endAt: Infinity,
  };
}


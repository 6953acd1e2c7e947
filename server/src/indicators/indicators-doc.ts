// Renders docs/indicators.md from the tables that define the counts, indicators and default schemes,
// so the documentation cannot drift from the code (indicators-doc.test.ts compares the two).
// Regenerate: node server/src/indicators/indicators-doc.ts > docs/indicators.md
import { INDICATORS, type IndicatorRow } from '@cityops/domain/indicators/indicators';
import { MEASURES } from '@cityops/domain/indicators/measures';
import { PERIOD_KINDS } from '@cityops/domain/indicators/periods';
import { DEFAULT_MIN_SCORED_WEIGHT, DEFAULT_PERFORMANCE_SCHEMES, PERFORMANCE_SUBJECTS, type Band } from '@cityops/domain/performance/scheme';

const ATTRIBUTION = { territory: 'territory', department: 'department', person: 'person' } as const;

function bands(list: Band[]): string {
  let from = 0;
  return list.map((b) => {
    const text = b.upTo === null ? `≥ ${from}: ${b.score}` : from === b.upTo ? `${b.upTo}: ${b.score}` : `${from}–${b.upTo}: ${b.score}`;
    if (b.upTo !== null) from = b.upTo + 1;
    return text;
  }).join('; ');
}

export function renderIndicatorsDoc(): string {
  const out: string[] = [];
  out.push('# Indicators (指标) and performance evaluation (绩效评价)', '');
  out.push('Generated from `domain/src/indicators/` and `domain/src/performance/` by `node server/src/indicators/indicators-doc.ts > docs/indicators.md`; a test fails when this file and the code disagree. Decision record: [0008](decisions/0008-indicator-facts-and-as-of.md).', '');
  out.push('## Periods', '');
  out.push('A period is a range of civil days in Beijing time, [00:00 of its first day, 00:00 after its last day). Forms:', '');
  out.push('| kind | 中文 | example |', '|---|---|---|');
  for (const [kind, k] of Object.entries(PERIOD_KINDS)) out.push(`| ${kind} | ${k.zh} | \`${k.example}\` |`);
  out.push('', 'A half-month is the 1st–15th (`H1`) or the 16th to the month end (`H2`). The previous period of a kind is the one just before it (a custom range: the same number of days before).', '');
  out.push('## "As of" the period end', '');
  out.push('Every count takes what happened at an instant in [period start, asOf), where asOf is the period end, or now for a period not over yet. A step taken after the period (a late feedback, an extension approved in the next month, a closing) never changes a past period: a report for October run in December gives the same answer as one run on 1 November. This holds because every count reads instants that never move once written: the case\'s registration, closing and callback times; the handling rounds\' start, feedback, rework and overdue instants; the event log\'s times and on-time flags.', '');
  out.push('## Handling rounds and overdue', '');
  out.push('- A **handling round** (处置轮次) runs from a dispatch (派遣) or a rework (返工, after a failed check) to the department\'s feedback (处理反馈) or an approved return (回退). Extensions and suspensions move its deadline on the work calendar.');
  out.push('- A round **goes overdue** (超时) at the first instant it is past its deadline unhandled. The instant is recorded by the first step taken after it: a late extension, a suspension, a return or the feedback. An extension approved after the deadline gives the department more time from then on, but the round stays overdue. A round still running is overdue once its deadline has passed.');
  out.push('- A round **handled on time** (按期处置) was reported back without ever going overdue. A case **closed on time** (按期结案) had no overdue round.');
  out.push('- A step **ends its stage on time** when it is taken within the stage\'s limit (受理, 核实, 立案, 派遣, 签收, 核查, 结案; stage limits on the work calendar), recorded on the event when it is written.', '');
  out.push('## Counts', '');
  out.push('| code | 中文 | by | definition |', '|---|---|---|---|');
  for (const [code, m] of Object.entries(MEASURES)) out.push(`| \`${code}\` | ${m.zh} | ${m.by.map((b) => ATTRIBUTION[b]).join(', ')} | ${m.definition} |`);
  out.push('', '"By territory": the case\'s grid and each node above it. "By department": the department of the case\'s last round (for closings and callbacks) or of the round itself (for handling), so a case returned by one department and handled by another counts for each in its part. "By person": the user who took the step.', '');
  out.push('## Indicators', '');
  out.push('Each is a ratio of two counts. **With a zero denominator an indicator has no value and is shown as "—", never as 0 % or 100 %.** Rates are shown as percentages with two decimals, rounded half up on the exact ratio.', '');
  out.push('| code | 中文 | formula | better |', '|---|---|---|---|');
  for (const [code, i] of Object.entries(INDICATORS) as [string, IndicatorRow][]) {
    out.push(`| \`${code}\` | ${i.zh} | ${MEASURES[i.numerator].zh} / ${MEASURES[i.denominator].zh} (\`${i.numerator}\` / \`${i.denominator}\`)${i.note ? `; ${i.note}` : ''} | ${i.better}${i.post ? ` (${PERFORMANCE_SUBJECTS[i.post].zh})` : ''} |`);
  }
  out.push('', 'Checked against the seeds\' figures: 6446 findings with 448 overtime → 93.05 %; 7419 / 550 → 92.59 %; 6644 / 58 → 99.13 %; 天门 December: 结案 911 / 应结案 972 → 93.72 %, 按期 737 → 75.82 %.', '');
  out.push('## Performance evaluation schemes (defaults)', '');
  out.push(`Each component is scored 0–100: a rate × 100, (1 − rate) × 100 where lower is better, or a count by bands (a band covers counts up to and including its bound). The score is the weighted sum. A component without a value is left out and the other weights scale up to 100, marked partial; a unit whose scored components carry less than the scheme's minimum weight (default ${DEFAULT_MIN_SCORED_WEIGHT}) gets no score and no rank. Scores are rounded to two decimals; units with the same published score share a rank (1, 2, 2, 4). Schemes are versioned data: \`PUT /api/performance-schemes/:subject\` saves a new version after validation.`, '');
  for (const scheme of Object.values(DEFAULT_PERFORMANCE_SCHEMES)) {
    out.push(`### ${PERFORMANCE_SUBJECTS[scheme.subject].zh} (\`${scheme.subject}\`)`, '');
    if (scheme.note) out.push(scheme.note, '');
    out.push('| component | weight | scoring |', '|---|---|---|');
    for (const c of scheme.components) {
      const s = c.scoring;
      const how = s.kind === 'rate' ? 'rate × 100' : s.kind === 'inverse_rate' ? '(1 − rate) × 100' : s.kind === 'count_bands' ? `\`${s.measure}\` by bands: ${bands(s.bands)}` : `\`${s.measure}\` per grid, by area class (区域类别), averaged over the grids: ${Object.entries(s.bandsByAreaClass).map(([k, b]) => `class ${k}: ${bands(b)}`).join(' — ')}; a grid of another class uses the first class`;
      out.push(`| ${c.zh} | ${c.weight} % | ${how} |`);
    }
    out.push('', `Grades: ${scheme.grades.map((g) => `${g.grade} ≥ ${g.min}`).join(', ')}.`, '');
  }
  out.push('## Reports', '');
  out.push('The department report (`GET /api/reports/departments?period=2026-10-H1&format=json|xlsx|pdf`, `cityops report departments`) lists, for each department with work in the period, 派遣数, 应处置数, 处置数, 按期处置数, 超时数, 返工数, 延期数, 回退数, 应结案数, 结案数 and the rates; departments are ranked on the department performance scheme\'s `reportRanking.indicator` (按期处置率 by default; two decimals, better first: a rate where lower is better, such as 返工率, ranks on its complement; ties shared), which the report names (`ranking`, with the scheme\'s version) and prints under the table; the overdue cases follow with their working hours late. The office changes it with the scheme (`PUT /api/performance-schemes/department`, `"reportRanking": {"indicator": "rework_rate"}`): only the department scheme takes it, and only an indicator a department has. `cityops evaluate --period 2026-10 --format table|json` prints every evaluation of the period.', '');
  out.push('## In the web app', '');
  out.push('绩效评价 (`#/performance?subject=region&period=2026-10&parent=990102&view=ranking|scheme`, for roles with `performance.read`): a tab per subject the reader may read (regions for a territory grant, departments for every reader, the four posts for the office and leaders; a ranking the server refuses shows its message), a period (the last full month by default, or a month or half-month of the last year) and, for regions, the parent: the ranking the reader\'s own node takes part in first (the city\'s districts for a city grant or a district government); a region\'s name drills into its children, a breadcrumb leads back. The table gives rank (并列 when shared), unit, score (two decimals), grade, places gained or lost (↑↓) with the score change, and the previous rank and score; a row opens onto its components (weight, value, component score, points) and the indicators counted (numerator, denominator, rate). Units without a score follow under their own heading; the scheme name and version the evaluation used are named above the table. The 评价方案 view shows the subject\'s current scheme and its versions to every reader; the office (`performance_scheme.write`) edits it by form (components with label, scoring kind, indicator or count, weight and bands, per area class for grid bands; grades; the minimum scored weight; the department report\'s ranking indicator) or as JSON, and saves a new version with a reason; the server\'s issues stand beside the inputs they name (the weights\' sum, `scheme.components`, under the weight column). The browser journey is `e2e/browser-performance.e2e.test.ts`.', '');
  return `${out.join('\n')}`;
}

if (import.meta.main) process.stdout.write(renderIndicatorsDoc());

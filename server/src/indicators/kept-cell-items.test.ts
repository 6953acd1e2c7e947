import assert from 'node:assert/strict';
import { test } from 'node:test';
import { halfMonthIndex } from '@cityops/domain/indicators/periods';
import { bj } from './indicators.test-support.ts';
import { caseItems, changeItems, mergedRegistrationItems, roundItems, rulingItems, type CaseFacts, type KeptItem, type RoundFacts } from './kept-cell-items.ts';
import { KeptTally, keptSpan } from './kept-cells.ts';

const brief = (items: KeptItem[]) => items.map((i) => `${i.count}${i.n < 0 ? ' −' : ''} ${new Date(i.since).toISOString().slice(5, 10)}→${new Date(i.at).toISOString().slice(5, 10)} ${i.kind === 'cell' ? `g${i.gridId}/d${i.departmentId}` : `p${i.personId}`}`).sort();

const PUBLIC_CASE: CaseFacts = {
  grid_id: 7, department_id: 3, source: 'hotline_12345', reported_at: bj('2026-10-14 09:00'), reported_by_kind: 'user', reported_by_id: 40,
  registered_at: bj('2026-10-14 11:00'), first_dispatched_at: bj('2026-10-16 09:00'), closed_at: bj('2026-10-20 10:00'), overdue_rounds: 1,
  rated_at: bj('2026-10-21 10:00'), satisfaction: 'basically_satisfied',
};

test('a public case: intake and registration with no department; routed in the half of its report; closed late; rated by its department', () => {
  assert.deepEqual(brief(caseItems(PUBLIC_CASE)), [
    'callbacks 10-21→10-21 g7/d3', 'closed 10-20→10-20 g7/d3',
    'complaints_received 10-14→10-14 g7/dnull', 'complaints_routed 10-14→10-16 g7/dnull',
    'registered 10-14→10-14 g7/dnull', 'registered_public 10-14→10-14 g7/dnull',
    'reported 10-14→10-14 g7/dnull', 'satisfied 10-21→10-21 g7/d3',
  ]);
});

test('an inspector\'s report is theirs to count, and valid from its registration', () => {
  const items = caseItems({ ...PUBLIC_CASE, source: 'inspector', first_dispatched_at: null, closed_at: null, rated_at: null, satisfaction: null, overdue_rounds: 0 });
  assert.deepEqual(brief(items.filter((i) => i.kind === 'person')), ['reports_made 10-14→10-14 p40', 'reports_valid 10-14→10-14 p40']);
  assert.deepEqual(brief(items.filter((i) => i.kind === 'cell')), ['registered 10-14→10-14 g7/dnull', 'registered_inspector 10-14→10-14 g7/dnull', 'reported 10-14→10-14 g7/dnull']);
});

const ROUND: RoundFacts = {
  kind: 'dispatch', source: 'third_party', grid_id: 7, department_id: 3, started_at: bj('2026-10-10 09:00'), started_by: 50,
  handled_at: bj('2026-11-02 15:00'), overdue_at: bj('2026-10-14 18:00'), reworked_at: null, end_kind: 'handled', ended_at: bj('2026-11-02 15:00'),
};

test('a rectification round that went overdue in October and was reported back in November', () => {
  assert.deepEqual(brief(roundItems(ROUND)), [
    'dispatch_rounds 10-10→10-10 p50', 'dispatched 10-10→10-10 g7/d3',
    'handled 11-02→11-02 g7/d3', 'overdue 10-14→10-14 g7/d3', 'overdue_handled 10-14→11-02 g7/d3',
    'rect_handled 11-02→11-02 g7/d3', 'rect_overdue 10-14→10-14 g7/d3', 'rect_overdue_handled 10-14→11-02 g7/d3',
  ]);
});

test('a dispatch returned as wrong counts against its dispatcher from the return; rulings and merges', () => {
  const returned = { ...ROUND, source: 'inspector', handled_at: null, overdue_at: null, end_kind: 'returned', ended_at: bj('2026-10-11 10:00') };
  assert.deepEqual(brief(roundItems(returned)), ['dispatch_rounds 10-10→10-10 p50', 'dispatched 10-10→10-10 g7/d3', 'dispatches_returned 10-10→10-11 p50']);
  assert.deepEqual(brief(rulingItems({ action: 'approve_extension', at: bj('2026-10-12 10:00'), departmentId: 3 }, 7)), ['extended 10-12→10-12 g7/d3']);
  assert.deepEqual(rulingItems({ action: 'dispatch', at: bj('2026-10-12 10:00'), departmentId: 3 }, 7), []);
  assert.deepEqual(brief(mergedRegistrationItems(bj('2026-10-13 10:00'), [{ at: bj('2026-10-12 10:00'), actorKind: 'user', actorId: 9 }, { at: bj('2026-10-12 11:00'), actorKind: 'system', actorId: null }])),
    ['registrations_merged 10-12→10-13 p9']);
});

test('a change adds the items after it less those before; what did not change cancels out in the tally', () => {
  const before = { ...ROUND, handled_at: null, overdue_at: null, end_kind: null, ended_at: null };
  const tally = new KeptTally().add(changeItems(before, ROUND, roundItems));
  const rows = [...tally.cells.values()].filter((r) => Object.entries(r).some(([k, v]) => !['since_half', 'half', 'grid_id', 'department_id'].includes(k) && v !== 0));
  const octH1 = halfMonthIndex(bj('2026-10-14 18:00'));
  const novH1 = halfMonthIndex(bj('2026-11-02 15:00'));
  assert.equal(novH1 - octH1, 2);
  // [since, at] as halves after October's first; dispatched, handled, overdue, overdue_handled.
  assert.deepEqual(rows.map((r) => [r.since_half - octH1, r.half - octH1, r.dispatched, r.handled, r.overdue, r.overdue_handled]).sort(), [
    [0, 0, 0, 0, 1, 0], // overdue on the 14th of October
    [0, 2, 0, 0, 0, 1], // reported back in November, against the overdue instant's half
    [2, 2, 0, 1, 0, 0], // the feedback itself
  ]);
  assert.equal([...tally.persons.values()].every((r) => r.dispatch_rounds === 0), true, 'the dispatch was there before and after');
});

test('the half-months a window can take from the kept counts', () => {
  assert.deepEqual(keptSpan({ from: bj('2026-10-01 00:00'), asOf: bj('2026-11-01 00:00') }), { fromHalf: halfMonthIndex(bj('2026-10-01 00:00')), toHalf: halfMonthIndex(bj('2026-11-01 00:00')), coveredTo: bj('2026-11-01 00:00'), bounded: true });
  // A past window ending inside a half-month, or starting inside one, is left to the records.
  assert.equal(keptSpan({ from: bj('2026-10-01 00:00'), asOf: bj('2026-10-20 00:00') }), null);
  assert.equal(keptSpan({ from: bj('2026-10-02 00:00'), asOf: bj('2026-11-01 00:00') }), null);
  // Running to now: the halves before the current one, everything recorded since; the rest from the records.
  assert.deepEqual(keptSpan({ from: bj('2026-10-01 00:00'), asOf: bj('2026-10-20 00:00'), live: true }), { fromHalf: halfMonthIndex(bj('2026-10-01 00:00')), toHalf: halfMonthIndex(bj('2026-10-16 00:00')), coveredTo: bj('2026-10-16 00:00'), bounded: false });
  assert.equal(keptSpan({ from: bj('2026-10-01 00:00'), asOf: bj('2026-10-10 00:00'), live: true }), null);
});

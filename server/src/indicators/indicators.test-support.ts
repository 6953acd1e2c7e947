// A small October 2026 on the fixture city whose every count is worked out by hand in
// period-measures.test.ts: cases spanning the period's start and end, a suspension across the
// National Day holiday, an extension approved after the deadline, two reworks, a wrong dispatch
// returned, a rejected complaint, a registration later merged as a duplicate.
import type { Actor } from '@cityops/domain/access/scope';
import type { TestClient } from '../test/http.ts';
import { setUpCaseWorld, uploadPhoto, workflowHarness, type CaseWorld } from '../cases/cases.test-support.ts';

export { bj } from '@cityops/domain/calendar/test-fixtures';

export interface OctoberWorld {
  w: CaseWorld;
  actors: Record<string, Actor>;
  ids: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G', number>;
  /** The steps taken in November (after the period): D's late feedback and its closing. */
  november(): Promise<void>;
}

export async function buildOctober(client: TestClient): Promise<OctoberWorld> {
  const w = await setUpCaseWorld(client);
  const { actors, act, report: intake } = await workflowHarness(client, w);
  const report = async (who: string, source: 'inspector' | 'public_web', at: string) =>
    (await intake(who, { source, ...(source === 'public_web' ? { reporter: { name: '王五', phone: '13700000000' } } : {}) }, at)).caseId;
  const photo = async () => ({ attachmentIds: [await uploadPhoto(client, w.tokens.hwc)] });
  const hwc = { departmentId: w.departments.hwc };

  // C: dispatched 29 Sep 09:20 (due 15:20), suspended 10:20 with 3 h left, resumed 8 Oct 08:00 (due 11:00), handled 10:30.
  const C = await report('inspector', 'inspector', '2026-09-29 09:00');
  await act('acceptor', C, 'accept', '2026-09-29 09:05');
  await act('shiftChief', C, 'register', '2026-09-29 09:10');
  await act('dispatcher', C, 'dispatch', '2026-09-29 09:20', hwc);
  await act('hwc', C, 'sign', '2026-09-29 09:30');
  await act('hwc', C, 'request_suspension', '2026-09-29 10:00', { reason: '涉及产权纠纷' });
  await act('dispatcher', C, 'approve_suspension', '2026-09-29 10:20');
  await act('dispatcher', C, 'resume', '2026-10-08 08:00');
  await act('hwc', C, 'feedback', '2026-10-08 10:30', await photo());
  await act('inspector', C, 'check_pass', '2026-10-08 10:40');
  await act('shiftChief', C, 'close', '2026-10-08 10:50');

  // A: dispatched 30 Sep 16:20, due 8 Oct 10:20 across the holiday; handled 10:00.
  const A = await report('inspector', 'inspector', '2026-09-30 16:00');
  await act('acceptor', A, 'accept', '2026-09-30 16:05');
  await act('shiftChief', A, 'register', '2026-09-30 16:10');
  await act('dispatcher', A, 'dispatch', '2026-09-30 16:20', hwc);
  await act('hwc', A, 'sign', '2026-09-30 16:30');
  await act('hwc', A, 'feedback', '2026-10-08 10:00', await photo());
  await act('inspector', A, 'check_pass', '2026-10-08 10:10');
  await act('shiftChief', A, 'close', '2026-10-08 10:15');

  // B: a public report; due 12 Oct 15:30, extension approved late at 16:05; reworked twice; rated.
  const B = await report('public', 'public_web', '2026-10-12 09:00');
  await act('inspector', B, 'verify_confirm', '2026-10-12 09:10');
  await act('shiftChief', B, 'register', '2026-10-12 09:20');
  await act('dispatcher', B, 'dispatch', '2026-10-12 09:30', hwc);
  await act('hwc', B, 'sign', '2026-10-12 09:40');
  await act('hwc', B, 'request_extension', '2026-10-12 16:00', { reason: '需调运车辆' });
  await act('dispatcher', B, 'approve_extension', '2026-10-12 16:05');
  await act('hwc', B, 'feedback', '2026-10-13 09:00', await photo());
  await act('inspector', B, 'check_fail', '2026-10-13 09:30', { reason: '仍有残留' });
  await act('hwc', B, 'sign', '2026-10-13 09:35');
  await act('hwc', B, 'feedback', '2026-10-13 10:00', await photo());
  await act('inspector', B, 'check_fail', '2026-10-13 10:30', { reason: '仍有残留' });
  await act('hwc', B, 'sign', '2026-10-13 10:35');
  await act('hwc', B, 'feedback', '2026-10-13 11:00', await photo());
  await act('inspector', B, 'check_pass', '2026-10-13 11:10');
  await act('shiftChief', B, 'close', '2026-10-13 11:20');
  await act('acceptor', B, 'rate', '2026-10-14 09:00', { satisfaction: 'satisfied' });

  // E: dispatched to the wrong department, returned, dispatched again; handled on time.
  const E = await report('inspector', 'inspector', '2026-10-14 09:00');
  await act('acceptor', E, 'accept', '2026-10-14 09:05');
  await act('shiftChief', E, 'register', '2026-10-14 09:10');
  await act('dispatcher', E, 'dispatch', '2026-10-14 09:20', { departmentId: w.departments.szc });
  await act('szc', E, 'request_return', '2026-10-14 09:30', { reason: '不属本单位职责' });
  await act('dispatcher', E, 'approve_return', '2026-10-14 09:40');
  await act('dispatcher', E, 'dispatch', '2026-10-14 09:45', hwc);
  await act('hwc', E, 'sign', '2026-10-14 09:50');
  await act('hwc', E, 'feedback', '2026-10-14 11:00', await photo());
  await act('inspector', E, 'check_pass', '2026-10-14 11:10');
  await act('shiftChief', E, 'close', '2026-10-14 11:20');

  // F: a public complaint not accepted. G: registered, then merged into D as a duplicate.
  const F = await report('public', 'public_web', '2026-10-15 09:00');
  await act('acceptor', F, 'reject', '2026-10-15 09:10', { reason: '不属于城市管理范围' });
  const G = await report('inspector', 'inspector', '2026-10-15 10:00');
  await act('acceptor', G, 'accept', '2026-10-15 10:05');
  await act('shiftChief', G, 'register', '2026-10-15 10:10');

  // D: dispatched Fri 30 Oct 14:00, due 18:00; still unhandled when October ends.
  const D = await report('inspector', 'inspector', '2026-10-30 13:30');
  await act('acceptor', D, 'accept', '2026-10-30 13:35');
  await act('shiftChief', D, 'register', '2026-10-30 13:40');
  await act('dispatcher', D, 'dispatch', '2026-10-30 14:00', hwc);
  await act('hwc', D, 'sign', '2026-10-30 14:10');
  await act('acceptor', G, 'merge', '2026-10-30 15:00', { mergeTargetId: D });

  return {
    w, actors, ids: { A, B, C, D, E, F, G },
    async november() {
      await act('hwc', D, 'feedback', '2026-11-02 09:00', await photo());
      await act('inspector', D, 'check_pass', '2026-11-02 09:10');
      await act('shiftChief', D, 'close', '2026-11-02 09:20');
    },
  };
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classCodeIssues, componentIdIssues } from './classes.ts';
import { formatDepartmentRule, parseDepartmentRule, resolveDepartment } from './department-rule.ts';

test('department rules parse, print back, and resolve to the first step that applies', () => {
  const parsed = parseDepartmentRule('maintainer | district_department:CGJ|department:SZC');
  assert.ok('steps' in parsed);
  assert.equal(formatDepartmentRule(parsed.steps), 'maintainer|district_department:CGJ|department:SZC');
  const ids: Record<string, number> = { '990102-CGJ': 7, SZC: 3 };
  const ctx = { componentMaintainerId: null, departmentIdByCode: (c: string) => ids[c] ?? null, districtCode: '990102', territorialUnitId: () => null };
  assert.deepEqual(resolveDepartment(parsed.steps, ctx), { departmentId: 7, step: { type: 'district_department', suffix: 'CGJ' } });
  assert.equal(resolveDepartment(parsed.steps, { ...ctx, componentMaintainerId: 11 })?.departmentId, 11);
  assert.equal(resolveDepartment(parsed.steps, { ...ctx, districtCode: null })?.departmentId, 3);
  assert.deepEqual(parseDepartmentRule('street office'), { error: '"street office" is not a rule step (maintainer, department:<code>, district_department:<suffix>, territorial:street|district)' });
});

test('class codes extend their major code', () => {
  assert.deepEqual(classCodeIssues({ kind: 'matter', majorCode: '06', code: '06010', name: '暴露垃圾' }), []);
  assert.deepEqual(classCodeIssues({ kind: 'matter', majorCode: '06', code: '07010', name: 'x' }, 3), [{ field: 'code', message: 'must start with its major code 06', row: 3 }]);
  assert.equal(classCodeIssues({ kind: 'thing', majorCode: '6', code: '0601', name: '' }).length, 4);
});

test('component ids carry admin code and class code', () => {
  assert.deepEqual(componentIdIssues('99010201002000123', '01002', '990102'), []);
  assert.deepEqual(componentIdIssues('99010201003000123', '01002', '990102'), ['digits 7–11 must be the class code 01002']);
  assert.match(componentIdIssues('123', null, null)[0]!, /17 digits/);
});

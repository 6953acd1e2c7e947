import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childPath, territoryCodeIssues } from './levels.ts';

test('a grid code must extend its community code and have 15 digits', () => {
  const community = { code: '990102001002', level: 'community' as const };
  assert.deepEqual(territoryCodeIssues({ code: '990102001002007', level: 'grid' }, community), []);
  assert.deepEqual(territoryCodeIssues({ code: '990102001003007', level: 'grid' }, community, 4), [
    { field: 'code', message: "must start with its parent's code 990102001002", row: 4 },
  ]);
  assert.equal(territoryCodeIssues({ code: '99010200100200', level: 'grid' }, community)[0]?.message, 'a grid code has 15 digits, got "99010200100200"');
});

test('the parent must be exactly one level up', () => {
  const district = { code: '990102', level: 'district' as const };
  const issues = territoryCodeIssues({ code: '990102001002', level: 'community' }, district);
  assert.equal(issues.length, 1);
  assert.equal(issues[0]?.field, 'parent_code');
  assert.match(issues[0]!.message, /must be a street/);
  assert.deepEqual(territoryCodeIssues({ code: '990100', level: 'city' }, null), []);
  assert.equal(territoryCodeIssues({ code: '990102', level: 'district' }, null)[0]?.field, 'parent_code');
});

test('paths are built from codes', () => {
  assert.equal(childPath(null, '990100'), '/990100/');
  assert.equal(childPath('/990100/', '990102'), '/990100/990102/');
});

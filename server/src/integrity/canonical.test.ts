import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonical, digestOf, sha256Hex } from './canonical.ts';
import { GENESIS_DIGEST, ZERO_HASH, entryHash, itemsDigest } from './ledger.ts';

test('canonical JSON (RFC 8785): keys sorted by UTF-16 code units, no whitespace, undefined members absent', () => {
  assert.equal(canonical({ b: 1, a: [1.5, 'x', null, true], c: undefined }), '{"a":[1.5,"x",null,true],"b":1}');
  assert.equal(canonical({ '€': 4, b: 2, é: 5, a: 1, B: 3 }), '{"B":3,"a":1,"b":2,"é":5,"€":4}');
  assert.equal(canonical({ unit: { name: '第2区', code: '990102' }, note: '他说"好"\n' }), '{"note":"他说\\"好\\"\\n","unit":{"code":"990102","name":"第2区"}}');
});

test('numbers exactly as stored: the shortest form that reads back as the same double; integers (ms, fen) as integers', () => {
  assert.deepEqual([91.8, 96, -0, 0.1 + 0.2, 1e21, 1_764_000_000_000, -100_000_000].map(canonical), ['91.8', '96', '0', '0.30000000000000004', '1e+21', '1764000000000', '-100000000']);
  assert.throws(() => canonical(Number.NaN), /no canonical form/);
  assert.throws(() => canonical({ total: Number.POSITIVE_INFINITY }), /no canonical form/);
  assert.throws(() => canonical({ f: () => 1 }), /no canonical form for a function/);
});

test('the same data gives the same text whatever order its keys were written in, and reads back to it', () => {
  fc.assert(fc.property(fc.jsonValue(), (value) => {
    const text = canonical(value);
    assert.equal(canonical(JSON.parse(text)), text);
    const reversed = JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)));
    assert.equal(canonical(reversed), text);
  }));
});

test('digests and hashes as defined: SHA-256 of the canonical text; an entry\'s hash over the previous hash, a line feed and its fields', () => {
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(digestOf({ b: 2, a: 1 }), createHash('sha256').update('{"a":1,"b":2}').digest('hex'));
  assert.equal(itemsDigest([['run', 'ab'], ['final/unit:3', 'cd']]), createHash('sha256').update('{"final/unit:3":"cd","run":"ab"}').digest('hex'));
  assert.equal(GENESIS_DIGEST, createHash('sha256').update('{"ledger":"cityops integrity ledger","version":1}').digest('hex'));
  const fields = { seq: 1, kind: 'audit_log', entityRef: '1-20', digest: 'ab', itemCount: 20, detail: null, sealedAt: 1_764_000_000_000 };
  assert.equal(entryHash(ZERO_HASH, fields), createHash('sha256').update(`${'0'.repeat(64)}\n{"detail":null,"digest":"ab","entityRef":"1-20","itemCount":20,"kind":"audit_log","sealedAt":1764000000000,"seq":1}`).digest('hex'));
  assert.notEqual(entryHash(ZERO_HASH, { ...fields, seq: 2 }), entryHash(ZERO_HASH, fields));
});

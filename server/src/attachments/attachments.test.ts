import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError } from '@cityops/domain/errors';
import { actorForSession } from '../access/access.service.ts';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { FIXTURE } from '../test/fixtures.ts';
import { claimAttachments, detectImageType, listCaseAttachments, sanitizeFileName } from './attachments.service.ts';

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A complete 1×1 red RGB PNG: signature, IHDR, IDAT, IEND with real CRCs. */
function onePixelPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit truecolour, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))), pngChunk('IEND', new Uint8Array()),
  ]);
}

/** SOI, a JFIF APP0 segment and EOI: the start of every baseline JPEG a phone camera writes. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
const PNG = onePixelPng();
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const MAX = 10 * 1024 * 1024;

test('image types come from magic bytes, names lose their paths', () => {
  assert.equal(detectImageType(PNG), 'image/png');
  assert.equal(detectImageType(JPEG), 'image/jpeg');
  assert.equal(detectImageType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')), 'image/gif');
  assert.equal(detectImageType(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1')), 'image/webp');
  assert.equal(detectImageType(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1')), null);
  assert.equal(detectImageType(Buffer.from('hello, this is text')), null);
  assert.equal(detectImageType(new Uint8Array()), null);
  assert.equal(sanitizeFileName('../../etc/passwd'), 'passwd');
  assert.equal(sanitizeFileName('C:\\photos\\现场\u0000.jpg'), '现场.jpg');
  assert.equal(sanitizeFileName('..'), null);
  assert.equal(sanitizeFileName(`${'a'.repeat(300)}.png`)?.length, 200);
});

describeOnBothDatabases('attachments', (database) => {
  let client: TestClient;
  let owner: string;
  let colleague: string;
  let citizen: string;
  before(async () => {
    client = await buildTestApp(database());
    owner = await client.tokenFor([{ role: 'inspector', territoryCode: FIXTURE.street }]);
    colleague = await client.tokenFor([{ role: 'inspector', territoryCode: FIXTURE.street }]);
    citizen = await client.tokenFor([{ role: 'public' }]);
  });
  after(() => client.close());

  const upload = (token: string | undefined, body: Uint8Array | string, contentType = 'image/png', filename?: string) =>
    client.request('POST', `/api/attachments${filename ? `?filename=${encodeURIComponent(filename)}` : ''}`, { ...(token ? { token } : {}), body, contentType });
  const uploadId = async (token: string, body: Uint8Array = PNG) => {
    const res = await upload(token, body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as number;
  };
  const actorOf = async (token: string): Promise<Actor> => (await actorForSession(database().db, token))!;
  const rowCount = async () => Number((await database().db.selectFrom('attachments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const issuesOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => assert.fail('expected a ValidationError'), (e: unknown) => e);
    assert.ok(error instanceof ValidationError, String(error));
    return error.issues;
  };

  test('an upload is stored content-addressed and read back as sent', async () => {
    const res = await upload(owner, PNG, 'image/png', '../现场/photo 1.png');
    assert.equal(res.statusCode, 201, res.body);
    const dto = res.json();
    assert.equal(dto.sha256, sha(PNG));
    assert.deepEqual({ mimeType: dto.mimeType, sizeBytes: dto.sizeBytes, originalName: dto.originalName }, { mimeType: 'image/png', sizeBytes: PNG.length, originalName: 'photo 1.png' });
    assert.ok(existsSync(join(client.attachments.rootDir, dto.sha256.slice(0, 2), dto.sha256.slice(2, 4), dto.sha256)));
    assert.deepEqual(await client.attachments.get(dto.sha256), PNG);

    const file = await client.request('GET', `/api/attachments/${dto.id}`, { token: owner });
    assert.equal(file.statusCode, 200);
    assert.deepEqual(file.rawPayload, PNG);
    assert.equal(file.headers['content-type'], 'image/png');
    assert.equal(file.headers['cache-control'], 'private, max-age=31536000, immutable');
    assert.equal(file.headers['x-content-type-options'], 'nosniff');
    assert.equal(file.headers['content-disposition'], 'inline');
    const meta = await client.request('GET', `/api/attachments/${dto.id}/meta`, { token: owner });
    assert.deepEqual(meta.json(), dto);

    const audit = await database().db.selectFrom('audit_log').select(['entity_ref']).where('action', '=', 'attachment.upload').execute();
    assert.ok(audit.some((a) => a.entity_ref === String(dto.id)));
  });

  test('the type is read from the bytes: octet-stream is accepted, a mismatch or a renamed text file is not', async () => {
    const generic = await upload(owner, JPEG, 'application/octet-stream', 'x.bin');
    assert.equal(generic.statusCode, 201, generic.body);
    assert.equal(generic.json().mimeType, 'image/jpeg');
    const again = await upload(owner, JPEG, 'image/jpeg');
    assert.equal(again.json().sha256, generic.json().sha256, 'the same content twice is the same key');

    const before = await rowCount();
    for (const [body, type] of [[Buffer.from('just some notes\n'), 'image/jpeg'], [JPEG, 'image/png'], ['plain text', 'text/plain'], [PNG, 'application/pdf']] as const) {
      const res = await upload(owner, body, type, 'notes.jpg');
      assert.equal(res.statusCode, 415, `${type}: ${res.body}`);
      assert.equal(res.json().error.code, 'unsupported_media_type');
      assert.equal(res.json().error.issues[0].field, 'file');
      assert.match(res.json().error.message, /image\/jpeg, image\/png, image\/webp, image\/gif/);
    }
    assert.equal(await rowCount(), before);
  });

  test('an empty or too large file is refused and nothing is kept', async () => {
    const before = await rowCount();
    const empty = await upload(owner, new Uint8Array(), 'image/png');
    assert.equal(empty.statusCode, 400, empty.body);
    assert.equal(empty.json().error.issues[0].field, 'file');

    // One byte over reaches the service; far over is stopped by the body parser. Both answer the same.
    for (const size of [MAX + 1, MAX + 64 * 1024]) {
      const big = Buffer.alloc(size);
      big.set(PNG);
      const res = await upload(owner, big, 'image/png');
      assert.equal(res.statusCode, 413, res.body);
      assert.equal(res.json().error.code, 'payload_too_large');
      assert.equal(res.json().error.issues[0].field, 'file');
      assert.match(res.json().error.issues[0].message, new RegExp(`${MAX} bytes`));
      assert.equal(await client.attachments.get(sha(big)), null);
    }
    assert.equal(await rowCount(), before);
    assert.equal((await upload(undefined, PNG)).statusCode, 401);
  });

  test('an unlinked upload is its uploader\'s alone', async () => {
    const id = await uploadId(owner);
    assert.equal((await client.request('GET', `/api/attachments/${id}`, { token: colleague })).statusCode, 404);
    assert.equal((await client.request('GET', `/api/attachments/${id}/meta`, { token: citizen })).statusCode, 404);
    assert.equal((await client.request('GET', '/api/attachments/999999', { token: owner })).statusCode, 404);
  });

  test('claiming links one\'s own fresh uploads and names every bad id by position', async () => {
    const db = database().db;
    const caseId = await insertCase(db);
    const [first, second] = await insertEvents(db, caseId, 2);
    const me = await actorOf(owner);
    const a = await uploadId(owner);
    const b = await uploadId(owner);
    const foreign = await uploadId(citizen);

    assert.deepEqual((await issuesOf(claimAttachments(db, me, [a, foreign], caseId, first!))).map((i) => i.field), ['attachmentIds[1]']);
    assert.deepEqual((await issuesOf(claimAttachments(db, me, [a, b, a], caseId, first!))).map((i) => i.field), ['attachmentIds[2]']);
    assert.deepEqual((await issuesOf(claimAttachments(db, me, [a, 999999], caseId, first!))).map((i) => i.field), ['attachmentIds[1]']);
    assert.deepEqual((await issuesOf(claimAttachments(db, me, Array.from({ length: 21 }, (_, i) => i + 1), caseId, first!))).map((i) => i.field), ['attachmentIds']);

    assert.equal(await claimAttachments(db, me, [a, b], caseId, first!), 2);
    assert.deepEqual((await listCaseAttachments(db, caseId)).map((x) => [x.id, x.eventId]), [[a, first], [b, first]]);
    assert.deepEqual((await issuesOf(claimAttachments(db, me, [b], caseId, second!))).map((i) => i.field), ['attachmentIds[0]']);
    const otherCase = await insertCase(db);
    const [otherEvent] = await insertEvents(db, otherCase, 1);
    const issues = await issuesOf(claimAttachments(db, me, [await uploadId(owner), a], otherCase, otherEvent!));
    assert.deepEqual(issues.map((i) => i.field), ['attachmentIds[1]']);

    // Once linked, the case decides for everyone but the uploader: a colleague who may read it sees the photo, a citizen does not.
    const file = await client.request('GET', `/api/attachments/${a}`, { token: colleague });
    assert.equal(file.statusCode, 200, file.body);
    assert.deepEqual(file.rawPayload, PNG);
    assert.equal((await client.request('GET', `/api/attachments/${b}/meta`, { token: colleague })).json().id, b);
    assert.equal((await client.request('GET', `/api/attachments/${a}`, { token: citizen })).statusCode, 404);
  });

  test('a citizen keeps seeing the photo they sent once it is linked to their case; another citizen does not', async () => {
    const db = database().db;
    const caseId = await insertCase(db);
    const [event] = await insertEvents(db, caseId, 1);
    const photo = await uploadId(citizen);
    assert.equal(await claimAttachments(db, await actorOf(citizen), [photo], caseId, event!), 1);
    const mine = await client.request('GET', `/api/attachments/${photo}`, { token: citizen });
    assert.equal(mine.statusCode, 200, mine.body);
    assert.deepEqual(mine.rawPayload, PNG);
    const stranger = await client.tokenFor([{ role: 'public' }]);
    assert.equal((await client.request('GET', `/api/attachments/${photo}`, { token: stranger })).statusCode, 404);
    assert.equal((await client.request('GET', `/api/attachments/${photo}/meta`, { token: colleague })).statusCode, 200);
  });

  test('the OpenAPI document describes the upload body as binary', async () => {
    const doc = (await client.request('GET', '/api/openapi.json')).json();
    const body = doc.paths['/api/attachments'].post.requestBody.content;
    assert.equal(body['image/png'].schema.format, 'binary');
    assert.ok(body['application/octet-stream']);
  });
});

let caseCounter = 0;

/** A bare case row in the fixture's first grid; enough for the read rule, without the case workflow. */
async function insertCase(db: TestClient['database']['db']): Promise<number> {
  const nodes = new Map((await db.selectFrom('territory_nodes').select(['id', 'code', 'path']).execute()).map((n) => [n.code, n]));
  const grid = nodes.get(FIXTURE.grids[0])!;
  const cls = await db.selectFrom('catalog_classes').select(['id', 'code', 'kind']).orderBy('id').executeTakeFirstOrThrow();
  const now = Date.now();
  const row = await db.insertInto('cases').values({
    code: `TEST-ATT-${++caseCounter}`, source: 'inspector', state: 'registered', class_id: cls.id, class_code: cls.code, class_kind: cls.kind,
    description: 'test case for attachments', lon: 118.8005, lat: 32.0005, grid_id: grid.id, community_id: nodes.get(FIXTURE.community)!.id,
    street_id: nodes.get(FIXTURE.street)!.id, district_id: nodes.get(FIXTURE.district)!.id, territory_path: grid.path,
    urgency: 'normal', limit_value: 1, limit_unit: 'working_days', reported_at: now, reported_by_kind: 'user', created_at: now, updated_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

async function insertEvents(db: TestClient['database']['db'], caseId: number, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const row = await db.insertInto('case_events').values({
      case_id: caseId, seq, action: 'report', from_state: null, to_state: 'registered', at: Date.now(), actor_kind: 'system', actor_id: null, actor_name: 'test', actor_role: null, department_id: null, reason: null, data: null,
    }).returning('id').executeTakeFirstOrThrow();
    ids.push(Number(row.id));
  }
  return ids;
}

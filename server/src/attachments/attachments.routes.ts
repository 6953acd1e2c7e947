import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/context.ts';
import { handleError, unauthenticated } from '../http/errors.ts';
import { ErrorBody, ErrorResponses } from '../http/schemas.ts';
import {
  GENERIC_TYPE, IMAGE_TYPES, payloadTooLarge, requireReadableAttachment, storeUpload, toDto, unsupportedMediaType,
} from './attachments.service.ts';

const tags = ['attachments'];
const UPLOAD_TYPES = [...IMAGE_TYPES, GENERIC_TYPE];
/** Room for a body a little over the limit, so the service (not the parser) names the limit when it can. */
const BODY_SLACK = 1024;

const AttachmentDto = Type.Object({
  id: Type.Integer(), sha256: Type.String(), mimeType: Type.String(), sizeBytes: Type.Integer(),
  originalName: Type.Union([Type.String(), Type.Null()]), uploadedAt: Type.String({ format: 'date-time' }),
});
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const binary = { type: 'string', format: 'binary', description: 'the raw file' };

export async function attachmentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // Its own plugin scope, so the raw-bytes parsers (octet-stream above all) apply to the upload route only.
  await app.register(async (scope) => {
    const bodyLimit = ctx.attachmentMaxBytes + BODY_SLACK;
    scope.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));

    scope.post('/api/attachments', {
      config: { access: 'attachment.write' },
      bodyLimit,
      // Refuse strangers before reading up to the limit from them; the access plugin decides the rest.
      onRequest: async (request: FastifyRequest) => {
        if (request.actor.kind === 'anonymous') throw unauthenticated();
      },
      // The body is a Buffer, which no JSON Schema describes; the schema below documents, the handler checks.
      validatorCompiler: () => () => true,
      errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => handleError(uploadError(error, ctx.attachmentMaxBytes), request, reply),
      schema: {
        tags,
        summary: 'Upload a photo (JPEG, PNG, WebP or GIF) as the raw request body; claim it afterwards in a case action by its id',
        description: `The type is read from the file's bytes; a declared Content-Type must agree with them (or be ${GENERIC_TYPE}). At most ${ctx.attachmentMaxBytes} bytes.`,
        querystring: Type.Object({ filename: Type.Optional(Type.String({ description: 'the original file name, kept (base name only, at most 200 characters) for display' })) }),
        body: { content: Object.fromEntries(UPLOAD_TYPES.map((t) => [t, { schema: binary }])) },
        response: { 201: AttachmentDto, ...ErrorResponses, 413: ErrorBody, 415: ErrorBody },
      },
    }, async (request, reply) => {
      const { filename } = request.query as { filename?: unknown };
      if (!Buffer.isBuffer(request.body)) throw unsupportedMediaType(`Content-Type ${request.headers['content-type'] ?? '(none)'} is not accepted`);
      const dto = await storeUpload(ctx.db, ctx.attachments, request.actor, {
        bytes: request.body, declaredType: request.headers['content-type'], originalName: typeof filename === 'string' ? filename : null,
      }, { maxBytes: ctx.attachmentMaxBytes });
      void reply.status(201);
      return dto;
    });
  });

  app.get('/api/attachments/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags, summary: 'The file: to its uploader always, and once it is linked to a case also to whoever may read that case',
      params: IdParams,
      response: { 200: { description: 'the file, with its stored image type', content: Object.fromEntries(IMAGE_TYPES.map((t) => [t, { schema: binary }])) }, ...ErrorResponses },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const row = await requireReadableAttachment(ctx.db, request.actor, id);
    const bytes = await ctx.attachments.get(row.storage_key);
    if (!bytes) throw new Error(`attachment ${id}: no file stored under ${row.storage_key}`);
    // Content-addressed: the bytes under an id never change, so caches may keep them for good.
    void reply
      .type(row.mime_type)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'inline');
    return reply.send(bytes);
  });

  app.get('/api/attachments/:id/meta', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'What is known about a file, under the same rule as the file itself', params: IdParams, response: { 200: AttachmentDto, ...ErrorResponses } },
  }, async (request) => {
    const { id } = request.params as { id: number };
    return toDto(await requireReadableAttachment(ctx.db, request.actor, id));
  });
}

/** Fastify's own parser errors, in the envelope and wording of the service's checks. */
function uploadError(error: FastifyError, maxBytes: number): unknown {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return payloadTooLarge(maxBytes);
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedMediaType('this Content-Type is not accepted');
  return error;
}

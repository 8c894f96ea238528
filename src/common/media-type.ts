/** The content type of every JSON answer, as Fastify's own serialisation sends it. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

// Baseline A: a bare Fastify server with one JSON route, no logger, nothing else.
// Fastify comes with @nestjs/platform-fastify; this is the version Portcullis runs on.
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 0);
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`listening ${app.server.address().port}\n`);

// Goes away with the harness: on a signal, or when the harness closes our stdin.
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();

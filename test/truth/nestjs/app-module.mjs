// The Nest module the nestjs truth fixtures serve: one controller whose catch-all route answers
// every method and path with 200, so the comparison is about CORS (the model assumes a route
// answers). Decorators are applied by hand so the fixtures run as plain JS.
import 'reflect-metadata';
import {
  All,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Module,
  Patch,
  Post,
  Put,
} from '@nestjs/common';

class ItemsController {
  all() {
    return { ok: true };
  }
  star() {
    return { ok: true };
  }
}
const describe = (name) => Object.getOwnPropertyDescriptor(ItemsController.prototype, name);
HttpCode(200)(ItemsController.prototype, 'all', describe('all'));
All('*')(ItemsController.prototype, 'all', describe('all'));
Controller()(ItemsController);

/** A controller whose one route sets `Access-Control-Allow-Origin: *` with `@Header`. */
class StarController {
  star() {
    return { ok: true };
  }
}
const star = Object.getOwnPropertyDescriptor(StarController.prototype, 'star');
Header('Access-Control-Allow-Origin', '*')(StarController.prototype, 'star', star);
HttpCode(200)(StarController.prototype, 'star', star);
All('*')(StarController.prototype, 'star', star);
Controller()(StarController);

/** Fastify refuses a second OPTIONS '*' route beside `@fastify/cors`'s: one handler per other method instead. */
class FastifyItemsController {}
for (const [name, route] of Object.entries({
  get: Get,
  post: Post,
  put: Put,
  delete: Delete,
  patch: Patch,
})) {
  FastifyItemsController.prototype[name] = () => ({ ok: true });
  const descriptor = Object.getOwnPropertyDescriptor(FastifyItemsController.prototype, name);
  HttpCode(200)(FastifyItemsController.prototype, name, descriptor);
  route('*')(FastifyItemsController.prototype, name, descriptor);
}
Controller()(FastifyItemsController);

export class FastifyAppModule {}
Module({ controllers: [FastifyItemsController] })(FastifyAppModule);

export class AppModule {}
Module({ controllers: [ItemsController] })(AppModule);

export class StarModule {}
Module({ controllers: [StarController] })(StarModule);

/** Fastify's JSON parser refuses the matrix's empty bodies (400): accept them (create the app with `bodyParser: false`). */
export function acceptEmptyJson(app) {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body ? JSON.parse(body) : {}),
  );
}

/** Listens on 127.0.0.1 (PORT, else any free port) and prints `PORT n` for the truth suite. */
export async function listen(app) {
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  console.log(`PORT ${new URL(await app.getUrl()).port}`);
}

// A Koa API: @koa/cors for the public API, and a hand-written middleware for the admin console.
// `npm start` lists what CORS Lens finds here.
const Koa = require("koa");
const Router = require("@koa/router");
const cors = require("@koa/cors");

const app = new Koa();
const router = new Router();

// No origin option with credentials: @koa/cors echoes every request Origin.
app.use(cors({ credentials: true, exposeHeaders: ["X-Request-Id"] }));

// Admin console: the Origin header copied back by hand, without Vary: Origin.
const admin = async (ctx, next) => {
  ctx.set("Access-Control-Allow-Origin", ctx.headers.origin);
  ctx.set("Access-Control-Allow-Credentials", "true");
  if (ctx.method === "OPTIONS") {
    ctx.status = 204;
    return;
  }
  await next();
};

router.get("/api/items", (ctx) => {
  ctx.body = [];
});
router.get("/admin/users", admin, (ctx) => {
  ctx.body = [];
});
app.use(router.routes());
app.listen(3000);

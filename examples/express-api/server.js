// An Express 5 API: the npm `cors` package for the public API and partners, and a hand-written
// CORS middleware for the admin console. `npm start` lists what CORS Lens finds here.
const express = require("express");
const cors = require("cors");

const app = express();
app.use(express.json());

// Public API: any origin is echoed back, with cookies.
const apiCors = { origin: true, credentials: true };

app.get("/api/health", (req, res) => res.json({ ok: true }));
// Registered after the route above, so /api/health answers without CORS headers.
app.use("/api", cors(apiCors));
// Express 5 throws "Missing parameter name" for '*' at start-up.
app.options("*", cors(apiCors));
app.get("/api/items", (req, res) => res.json([]));

// Partner widgets: the dots are not escaped and nothing anchors the end.
app.use("/partner", cors({ origin: /^https:\/\/.*.partner.example.com/ }));
app.get("/partner/widgets", (req, res) => res.json([]));

// Admin console: headers set by hand.
const ADMIN_ORIGINS = ["https://admin.example.com", "https://ops.example.com"];

app.use("/admin", (req, res, next) => {
  const origin = req.headers.origin;
  if (ADMIN_ORIGINS.includes(origin)) {
    res.set("Access-Control-Allow-Origin", origin);
    res.set("Access-Control-Allow-Credentials", "true");
  }
  if (req.method === "OPTIONS") return res.sendStatus(204);
  next();
});
app.get("/admin/users", (req, res) => res.json([]));
app.delete("/admin/users/:id", (req, res) => res.sendStatus(204));

app.listen(Number(process.env.PORT ?? 3000));

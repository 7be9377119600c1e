// A Fastify 5 API with @fastify/cors. `npm start` lists what CORS Lens finds here.
const Fastify = require("fastify");
const cors = require("@fastify/cors");

const app = Fastify();

// Every origin is echoed back, with cookies: any website can call the API as the user.
app.register(cors, {
  origin: true,
  credentials: true,
  methods: ["GET", "POST", "PUT", "DELETE"],
});

// Partner widgets, in their own scope: the dots are not escaped and nothing anchors the start.
app.register(
  async (partner) => {
    partner.register(cors, { origin: [/partner.example.com$/, "null"] });
    partner.get("/widgets", async () => []);
  },
  { prefix: "/partner" },
);

app.get("/api/items", async () => []);
app.listen({ port: 3000 });

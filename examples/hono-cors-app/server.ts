// A Hono API served on Node. `npm start` lists what CORS Lens finds here.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';

const app = new Hono();

// An origin with a trailing slash never matches what browsers send.
app.use(
  '/api/*',
  cors({
    origin: ['https://app.example.com/', 'http://localhost:5173'],
    credentials: true,
  }),
);

// The public feed: the origin function echoes every origin.
app.use('/feed/*', cors({ origin: (origin) => origin }));

app.get('/api/items', (c) => c.json([]));
app.get('/feed/latest', (c) => c.json([]));

serve({ fetch: app.fetch, port: 3000 });

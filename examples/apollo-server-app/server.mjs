import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import http from 'node:http';

const server = new ApolloServer({
  typeDefs: 'type Query { me: String }',
  resolvers: { Query: { me: () => 'you' } },
  csrfPrevention: false,
});
await startStandaloneServer(server, { listen: { port: 4000 } });

// A plain node:http health endpoint that takes the allowed origin from the query string.
http
  .createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    res.setHeader('Access-Control-Allow-Origin', url.searchParams.get('origin') || 'https://app.example.com');
    res.end('ok');
  })
  .listen(4001);

/**
 * Truth suite for the NestJS model: real Nest 12.5 apps (the Express adapter with `cors` 2.8 and
 * the Fastify adapter with `@fastify/cors` 11.4) serve each fixture in
 * test/fixtures/truth/nestjs/<case>/ on 127.0.0.1 (the shared module in nestjs/app-module.mjs);
 * their answers to the request matrix must equal the model's, status included.
 */
import { nodeAppTruthSuite } from './support/node-app-truth';
import { routerEdges } from './support/preflight';

nodeAppTruthSuite({
  title: 'NestJS model vs real Nest 12.5 (Express and Fastify adapters)',
  suite: 'nestjs',
  framework: 'nestjs',
  packages: [
    '@nestjs/core',
    '@nestjs/common',
    '@nestjs/platform-express',
    '@nestjs/platform-fastify',
  ],
  minCases: 6,
  startTimeoutMs: 90_000,
  extraOrigins: {
    'express-allowlist': ['http://localhost:5173', 'http://localhost:x'],
    'fastify-allowlist': ['https://a.example.com', 'https://example.com.evil.net'],
  },
  extraRaw: routerEdges,
});

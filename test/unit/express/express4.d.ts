// `express4` is the npm alias of express@4 (the Express 4 truth for path matching); the part of
// its API the tests use is typed like Express 5's, which @types/express describes.
declare module 'express4' {
  import express from 'express';
  export default express;
}

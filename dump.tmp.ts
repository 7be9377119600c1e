import { parseText } from './server/src/parsing/parser';
const src = process.argv[2];
const grammar = (process.argv[3] ?? 'php') as 'php';
parseText(grammar, src).then((t) => {
  const show = (n: any, d = 0, field = ''): void => {
    console.log(' '.repeat(d * 2) + (field ? field + ': ' : '') + n.type + (n.childCount === 0 ? ` ${JSON.stringify(n.text)}` : ''));
    for (let i = 0; i < n.childCount; i++) show(n.child(i), d + 1, n.fieldNameForChild(i) ?? '');
  };
  show(t.root);
});

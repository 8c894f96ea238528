// Prints the table of a results file again: node bench/render.mjs bench/results/<file>.json
import { readFileSync } from 'node:fs';
import { evaluate, renderTable } from './lib/report.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/render.mjs bench/results/<file>.json');
  process.exit(2);
}
const results = JSON.parse(readFileSync(file, 'utf8'));
results.evaluation = evaluate(results);
process.stdout.write(renderTable(results));

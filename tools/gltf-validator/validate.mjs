// Usage: node validate.mjs FILE.glb — prints the validator's JSON report;
// exits 1 when the report has errors.
import { readFile } from "node:fs/promises";
import path from "node:path";
import validator from "gltf-validator";

const file = process.argv[2];
const data = new Uint8Array(await readFile(file));
const report = await validator.validateBytes(data, {
  uri: path.basename(file),
  maxIssues: 1000,
  externalResourceFunction: (uri) =>
    readFile(path.join(path.dirname(file), decodeURIComponent(uri))).then((b) => new Uint8Array(b)),
});
console.log(JSON.stringify(report, null, 1));
process.exit(report.issues.numErrors > 0 ? 1 : 0);

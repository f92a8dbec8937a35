// Runs inside the sandbox (node): the candidate's function on each case, one JSON line per case.
// stdin: {"code", "function", "cases": [[arg, ...], ...], "token", "case_ms"}; the code runs in a fresh
// vm context without require, process or the file system; each case has its own time limit.
"use strict";
const vm = require("vm");
const OUT_CAP = 4000;

function plain(value, depth = 0) {
  if (depth > 50) return String(value).slice(0, 200);
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  if (value instanceof Set || (value && value.constructor && value.constructor.name === "Set")) {
    return Array.from(value).map((v) => plain(v, depth + 1)).sort();
  }
  if (value && value.constructor && value.constructor.name === "Map") {
    return Object.fromEntries(Array.from(value.entries()).map(([k, v]) => [String(k), plain(v, depth + 1)]));
  }
  if (typeof value === "object") {
    const out = {};
    for (const k of Object.keys(value)) out[k] = plain(value[k], depth + 1);
    return out;
  }
  return String(value).slice(0, 200);
}

function describe(err) {
  if (err && typeof err === "object" && "name" in err) {
    const m = /solution:(\d+)/.exec(String(err.stack || ""));
    return `${err.name}: ${String(err.message).slice(0, 300)}${m ? ` (line ${m[1]})` : ""}`;
  }
  return `thrown: ${String(err).slice(0, 300)}`;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => { input += d; });
process.stdin.on("end", () => {
  const req = JSON.parse(input);
  const write = (rec) => { rec.token = req.token; process.stdout.write(JSON.stringify(rec) + "\n"); };
  let out = [];
  let size = 0;
  const log = (...args) => {
    const text = args.map((a) => (typeof a === "string" ? a : JSON.stringify(plain(a)))).join(" ") + "\n";
    if (size < OUT_CAP) out.push(text.slice(0, OUT_CAP - size));
    size += text.length;
  };
  const captured = () => out.join("") + (size > OUT_CAP ? "\n[output cut]" : "");
  const refuse = (what) => () => { throw new Error(`not allowed: ${what} is not available here`); };
  const sandbox = {
    console: { log, error: log, warn: log, info: log },
    require: (name) => { throw new Error(`not allowed: require('${String(name).slice(0, 40)}') is not available here`); },
    process: undefined, fetch: refuse("fetch"), setTimeout: undefined, setInterval: undefined,
  };
  const ctx = vm.createContext(sandbox, { codeGeneration: { strings: false, wasm: false } });
  const name = req.function;
  if (req.prelude) {
    // the exercise's own helpers (a TreeNode class...) and its __adapter__(fn, ...args)
    new vm.Script(`${req.prelude}\n;globalThis.__adapter = __adapter__;`, { filename: "prelude" }).runInContext(ctx);
  }
  try {
    new vm.Script(`${req.code}\n;globalThis.__fn = typeof ${name} === "function" ? ${name} : undefined;`,
      { filename: "solution" }).runInContext(ctx, { timeout: req.case_ms });
  } catch (err) {
    const text = describe(err);
    const status = /not allowed/.test(text) ? "not_allowed" : /timed out/.test(text) ? "timeout" : "error";
    write({ i: -1, status, error: text, out: captured() });
    return;
  }
  if (typeof ctx.__fn !== "function") {
    write({ i: -1, status: "missing", error: `no function named ${name} was defined`, out: captured() });
    return;
  }
  // a design exercise names a class: each case is [[["<init>", ...args], ["method", ...args], ...]]
  const call = new vm.Script(req.design
    ? `globalThis.__result = (() => {
         const calls = JSON.parse(globalThis.__args)[0];
         const obj = new globalThis.__fn(...calls[0].slice(1));
         return [null, ...calls.slice(1).map(([name, ...args]) => {
           const out = obj[name](...args);
           return out === undefined ? null : out;
         })];
       })();`
    : req.prelude
      ? "globalThis.__result = globalThis.__adapter(globalThis.__fn, ...JSON.parse(globalThis.__args));"
      : "globalThis.__result = globalThis.__fn(...JSON.parse(globalThis.__args));",
    { filename: "harness" });
  req.cases.forEach((args, i) => {
    out = []; size = 0;
    ctx.__args = JSON.stringify(args);
    const started = process.hrtime.bigint();
    let rec;
    try {
      call.runInContext(ctx, { timeout: req.case_ms });
      rec = { status: "ok", value: plain(ctx.__result) };
    } catch (err) {
      const text = describe(err);
      if (/Script execution timed out/.test(text)) rec = { status: "timeout", error: "time limit" };
      else if (/not allowed/.test(text)) rec = { status: "not_allowed", error: text };
      else rec = { status: "error", error: text };
    }
    rec.i = i;
    rec.ms = Number(process.hrtime.bigint() - started) / 1e6;
    rec.out = captured();
    write(rec);
  });
});

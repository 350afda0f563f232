// ONNX Runtime runs every model nerve exports and agrees with nerve predict.
//
// From the repository root, after `npm ci --ignore-scripts`:
//
//	node --test onnx/testdata/ort.test.mjs
//
// It builds cmd/nerve, has `go test -run TestWriteORTModels ./onnx/` write
// the test models (classifiers with string and int labels, a single
// sigmoid, a regressor with target scaling, one without metadata; sigmoid,
// tanh, ReLU, leaky ReLU and softmax; two models with table preprocessing,
// a classifier with string labels and a regressor over categorical and
// numeric columns; float32 and float64) with 50 samples each (raw CSV rows
// with missing cells, missing-cell tokens in varied case and unseen
// categories for the table models, fed one input per column as a runtime
// user would: NaN for a missing numeric cell, the text of a categorical
// one), exports each one at five settings and compares onnxruntime-node's
// outputs with nerve predict's on the same CSV: probabilities within 2e-5,
// labels identical, predictions within 2e-5 (relative beyond 1); table
// models at every opset from 13 to 21. Where nerve
// export notes that ONNX Runtime cannot run a graph (float64 LeakyRelu
// outside opsets 16 to 18), it checks that the runtime indeed refuses it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), "nerve-ort-"));
const nerve = join(dir, "nerve");
const run = (cmd, args, env = {}) =>
  execFileSync(cmd, args, { cwd: root, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });

run("go", ["build", "-o", nerve, "./cmd/nerve"]);
run("go", ["test", "-count=1", "-run", "^TestWriteORTModels$", "./onnx/"], { NERVE_ORT_DIR: dir });
const models = JSON.parse(readFileSync(join(dir, "models.json"), "utf8"));

// csv parses nerve's CSV output (no quoted commas in these files).
const csv = (text) => text.trim().split("\n").slice(1).map((line) => line.split(","));
// worst is the largest difference seen between ONNX Runtime and nerve
// predict, by kind of value (relative beyond 1).
const worst = {};
const close = (got, want, what, kind) => {
  const d = Math.abs(got - want);
  worst[kind] = Math.max(worst[kind] ?? 0, d / Math.max(1, Math.abs(want)));
  const tol = 2e-5 * Math.max(1, Math.abs(want));
  assert.ok(d <= tol, `${what}: ONNX Runtime ${got}, nerve predict ${want}`);
};

// feeds returns the graph inputs for the samples file of model m: one
// [n, 1] float input for a numeric model's matrix, or for a table model
// one input per raw column, named after it: numbers with NaN for a
// missing cell, or the cells' text.
const feeds = (m, text, dtype) => {
  const Float = dtype === "float64" ? Float64Array : Float32Array;
  const [header, ...rows] = text.trim().split("\n").map((line) => line.split(","));
  const n = rows.length;
  if (!m.columns) {
    const f = rows[0].length;
    return { input: new ort.Tensor(dtype, Float.from(rows.flat().map(Number)), [n, f]) };
  }
  const missing = new Set(m.missing.map((t) => t.toLowerCase()));
  const out = {};
  for (const c of m.columns) {
    const j = header.indexOf(c.name);
    assert.ok(j >= 0, `column ${c.name}`);
    const cells = rows.map((r) => r[j]);
    out[c.name] = c.type === "numeric"
      ? new ort.Tensor(dtype, Float.from(cells.map((v) => (missing.has(v.toLowerCase()) ? NaN : Number(v)))), [n, 1])
      : new ort.Tensor("string", cells, [n, 1]);
  }
  return out;
};

const settings = [
  { opset: "13", dtype: "float32" },
  { opset: "21", dtype: "float32" },
  { opset: "13", dtype: "float64" },
  { opset: "17", dtype: "float64" },
  { opset: "21", dtype: "float64" },
];
// Table models, whose front end uses more operators, run at every opset.
const tableSettings = ["float32", "float64"].flatMap((dtype) =>
  Array.from({ length: 9 }, (_, k) => ({ opset: String(13 + k), dtype })));

// predict returns nerve predict's CSV rows for a model and samples file,
// running it once per arguments.
const predicted = new Map();
const predict = (...args) => {
  const key = args.join("\0");
  if (!predicted.has(key)) predicted.set(key, csv(run(nerve, ["predict", ...args])));
  return predicted.get(key);
};

// exportONNX runs nerve export and returns its notes (stderr).
const exportONNX = (args) => {
  const r = spawnSync(nerve, ["export", ...args], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, `nerve export ${args.join(" ")}: ${r.stderr}`);
  return r.stderr;
};

test("the exports cover every kind of model", () => {
  const kinds = new Set(models.map((m) => m.kind));
  assert.deepEqual([...kinds].sort(), ["binary", "classifier", "regressor"]);
  assert.equal(models.length, 14);
  assert.equal(models.filter((m) => m.columns).length, 4);
});

test("float64 LeakyRelu runs in ONNX Runtime at opsets 16 to 18 only, as nerve export's note says", async () => {
  const model = join(dir, models.find((m) => m.name.startsWith("int_labels")).name + ".nerve");
  for (let opset = 13; opset <= 21; opset++) {
    const file = join(dir, `leaky-${opset}.onnx`);
    const noted = exportONNX(["--model", model, "--out", file, "--opset", String(opset), "--dtype", "float64"]) !== "";
    let runs = true;
    try {
      await ort.InferenceSession.create(file);
    } catch {
      runs = false;
    }
    assert.equal(runs, !noted, `opset ${opset}: runs ${runs}, noted ${noted}`);
    assert.equal(runs, opset >= 16 && opset <= 18, `opset ${opset}`);
  }
});

for (const m of models) {
  for (const s of m.columns ? tableSettings : settings) {
    test(`${m.name} at opset ${s.opset}, ${s.dtype}`, async () => {
      const model = join(dir, m.name + ".nerve");
      const data = join(dir, m.name + ".csv");
      const file = join(dir, `${m.name}-${s.opset}-${s.dtype}.onnx`);
      const notes = exportONNX(["--model", model, "--out", file, "--opset", s.opset, "--dtype", s.dtype]);
      if (notes !== "") { // nerve says ONNX Runtime cannot run it: check that it cannot
        assert.match(notes, /^nerve: note: ONNX Runtime 1.30 has no float64 LeakyRelu at opset \d+ \(layer [\d, ]+\)/);
        await assert.rejects(ort.InferenceSession.create(file), /Could not find an implementation for LeakyRelu/);
        return;
      }
      const kind = (what) => (m.columns ? "table model " : "") + what;
      const inputs = feeds(m, readFileSync(data, "utf8"), s.dtype);
      const n = Object.values(inputs)[0].dims[0];
      const session = await ort.InferenceSession.create(file);
      assert.deepEqual(session.inputNames, m.columns ? m.columns.map((c) => c.name) : ["input"]);
      const out = await session.run(inputs);

      if (m.kind === "regressor") {
        assert.deepEqual(session.outputNames, ["predictions"]);
        const want = predict("--model", model, "--data", data);
        const p = out.predictions;
        assert.equal(p.dims[0], n);
        want.forEach((row, i) => row.forEach((v, j) => close(Number(p.data[i * row.length + j]), Number(v), `row ${i + 1}, output ${j + 1}`, kind("predictions"))));
        return;
      }
      assert.deepEqual(session.outputNames, ["label", "probabilities"]);
      const P = out.probabilities, labels = out.label;
      assert.deepEqual(P.dims.map(Number), [n, P.dims[1]]);
      const k = Number(P.dims[1]);
      if (m.kind === "binary") { // nerve predict prints p; ONNX gives [1 − p, p]
        const want = predict("--model", model, "--data", data);
        want.forEach(([p], i) => {
          close(P.data[2 * i + 1], Number(p), `row ${i + 1}, p`, kind("probabilities"));
          close(P.data[2 * i], 1 - Number(p), `row ${i + 1}, 1 − p`, kind("probabilities"));
          assert.equal(String(labels.data[i]), P.data[2 * i + 1] > P.data[2 * i] ? "1" : "0");
        });
        return;
      }
      const proba = predict("--model", model, "--data", data, "--proba");
      const want = predict("--model", model, "--data", data);
      proba.forEach((row, i) => row.forEach((v, j) => close(P.data[i * k + j], Number(v), `row ${i + 1}, class ${j + 1}`, kind("probabilities"))));
      assert.equal(labels.type, m.name.startsWith("int") ? "int64" : "string");
      assert.deepEqual(Array.from(labels.data, String), want.map((r) => r[0]), "labels");
    });
  }
}

test.after(() => {
  const diffs = Object.entries(worst).map(([k, d]) => `${k} ${d.toExponential(2)}`);
  console.log(`largest difference from nerve predict (relative beyond 1): ${diffs.join(", ")}`);
  rmSync(dir, { recursive: true, force: true });
});

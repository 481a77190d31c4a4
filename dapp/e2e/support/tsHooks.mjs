// Node module hooks that let the e2e harness (and the SDK it imports, which is TypeScript source) run on Node 20
// with no build step and no extra package: TypeScript's own transpileModule strips the types, and relative imports
// written without an extension ("./claimCode") resolve to the .ts file, as bundlers resolve them.
// Registered by e2e/run.mjs and e2e/bench.mjs with module.register().
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  jsx: ts.JsxEmit.ReactJSX,
  sourceMap: false,
  inlineSourceMap: true,
};

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith("./") || specifier.startsWith("../");
    if (!relative || context.parentURL === undefined) throw error;
    for (const suffix of [".ts", ".tsx", "/index.ts"]) {
      const url = new URL(specifier + suffix, context.parentURL);
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!/\.tsx?$/.test(new URL(url).pathname)) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(fileName, "utf8"), {
    compilerOptions: COMPILER_OPTIONS,
    fileName,
  });
  return { format: "module", source: outputText, shortCircuit: true };
}

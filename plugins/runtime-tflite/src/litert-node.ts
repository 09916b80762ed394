import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { loadLiteRt, type LiteRt } from '@litertjs/core';

// LiteRT.js is built for browsers and web workers. This file, and only this file, gives its loader
// the few browser things it expects while it loads, then takes them away again (tfjs, in the same
// process, decides whether it runs in a browser by looking for `self` and `importScripts`).

const require = createRequire(import.meta.url);
/** node_modules/@litertjs/core/wasm/: the glue scripts and .wasm files (single-threaded by default). */
export const LITERT_WASM_DIR = path.join(path.dirname(require.resolve('@litertjs/core')), '..', 'wasm');

type Globals = Record<string, unknown>;

/** Evaluates an Emscripten glue script as CommonJS and returns its export (the ModuleFactory). */
function evaluateGlue(url: string): unknown {
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  const module = { exports: {} as unknown };
  // The glue is CommonJS inside a "type": "module" package, so require() would parse it as ESM.
  const glue = vm.compileFunction(readFileSync(file, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  // The glue reads the .wasm next to it with fs, found through __dirname: no fetch, no location.
  glue(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/** Where the wasm module's own output goes: its log lines (stdout and stderr) and an Abort(). */
export interface LiteRtOutput {
  line(text: string): void;
  abort(what: string): void;
}

/**
 * Loads the LiteRT.js wasm module in Node with the browser globals its loader expects, for the
 * time of the load only. Its printing and aborts go to `output` rather than to the console.
 */
export async function loadLiteRtInNode(output: LiteRtOutput): Promise<LiteRt> {
  const g = globalThis as unknown as Globals;
  const saved = { self: g.self, importScripts: g.importScripts, Module: g.Module };
  const warn = console.warn;
  // The wasm utils keep ModuleFactory/Module on `self`, the global object of a worker.
  g.self = globalThis;
  // Without importScripts the loader adds a <script> tag to `document`; a worker evaluates the script instead.
  g.importScripts = (url: string) => { (g.self as Globals).ModuleFactory = evaluateGlue(String(url)); };
  // It asks navigator.gpu for a WebGPU device and warns when there is none: Node has none, we run on CPU.
  console.warn = (...args: unknown[]) => output.line(args.map(String).join(' '));
  // The loader hands `self.Module` to the Emscripten factory: its print hooks replace console.log/error.
  g.Module = { print: output.line, printErr: output.line, onAbort: (what: unknown) => output.abort(String(what)) };
  try {
    return await loadLiteRt(LITERT_WASM_DIR);
  } finally {
    console.warn = warn;
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete g[key]; else g[key] = value;
    }
  }
}

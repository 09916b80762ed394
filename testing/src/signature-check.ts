import { compareTensors, GraphExecutor, seededRandom, type Graph, type OutputComparison, type Predictor, type TensorData } from '@modelport/core';

/** A seeded uint8 photo [1, height, width, 3]: the input of an image signature of any size. */
export function randomPixels(height: number, width: number, seed: number): TensorData {
  const random = seededRandom(seed);
  return { dtype: 'uint8', shape: [1, height, width, 3], data: Uint8Array.from({ length: height * width * 3 }, () => Math.floor(random() * 256)) };
}

/** One run to compare: a signature, its inputs, and words naming the case in a failure ("480x640"). */
export interface SignatureCase {
  readonly signature: string;
  readonly inputs: Readonly<Record<string, TensorData>>;
  readonly label?: string;
}

/** For each [height, width], a seeded photo (seed: its place + 1) fed as "image" to each of `signatures`. */
export function photoCases(signatures: readonly string[], sizes: readonly (readonly [number, number])[]): SignatureCase[] {
  return sizes.flatMap(([h, w], i) => {
    const inputs = { image: randomPixels(h, w, i + 1) };
    return signatures.map((signature) => ({ signature, inputs, label: `${h}x${w}` }));
  });
}

/**
 * Runs each case in a served artifact and in the composed graph it was exported from (tfjs), and
 * checks every output of the graph's signature within `tolerance` × max|graph| (core's comparison);
 * throws naming the signature, output and case of every difference.
 */
export async function expectSignaturesMatchGraph(
  predictor: Predictor, graph: Graph, cases: readonly SignatureCase[], tolerance = 1e-4,
): Promise<OutputComparison[]> {
  const exec = await GraphExecutor.create(graph);
  const comparisons: OutputComparison[] = [];
  try {
    for (const c of cases) {
      const sig = graph.signatures[c.signature];
      if (!sig) throw new Error(`the graph has no signature "${c.signature}" (it has ${Object.keys(graph.signatures).join(', ')})`);
      const expected = await exec.runSignature(sig, c.inputs);
      const actual = await predictor.predict(c.inputs, c.signature);
      for (const [name, t] of Object.entries(expected)) {
        const label = `${c.signature}/${name}${c.label ? ` at ${c.label}` : ''}`;
        comparisons.push(actual[name] ? compareTensors(label, actual[name]!, t, tolerance)
          : { output: label, shape: t.shape, maxAbsDiff: Infinity, maxAbsRef: 0, cosine: 0, ok: false, problem: 'missing from the artifact\'s outputs' });
      }
    }
  } finally {
    exec.dispose();
  }
  const off = comparisons.filter((c) => !c.ok);
  if (off.length) throw new Error(`the ${predictor.format} artifact differs from its graph: ${off.map((c) => `${c.output}: ${c.problem ?? `max |diff| ${c.maxAbsDiff}`}`).join('; ')}`);
  return comparisons;
}

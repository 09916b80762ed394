import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeSignatures, GraphBuilder, IMAGE_INFO_KEY, type ExportModule, type ImageInfo, GraphExecutor, type Graph, type SignatureRequest, type TensorData } from '@modelport/core';
import { decodeImage, type DecodedImage } from '@modelport/images';
import { imageModule } from '../src/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export async function photo(name: string): Promise<DecodedImage> {
  return decodeImage(await fs.readFile(path.join(ROOT, '.test-data/skimage', name)));
}

/** A model whose output is its input: what it returns is what the image module fed it. */
export function echoModel(shape: readonly number[]): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', shape);
  const y = b.node('seen', { op: 'Identity', inputs: [x], attrs: { T: { type: 'float32' } } });
  return b.outputs(y).signature('serving_default', {
    inputs: { x: { name: 'x:0', dtype: 'float32', shape: [...shape] } },
    outputs: { seen: { name: 'seen:0', dtype: 'float32', shape: [...shape] } },
  }).build();
}

/** Reports the valid fractions the image stage shares, as a later stage (detection) would read them. */
const validEcho: ExportModule = {
  kind: 'output', name: 'valid-echo',
  build(ctx, _o, outputs) {
    const info = ctx.shared.get(IMAGE_INFO_KEY) as ImageInfo | undefined ?? ctx.fail('no image info shared');
    return { outputs: { ...outputs, valid: { name: info.valid, dtype: 'float32', shape: [-1, 2] } } };
  },
};

/** The model behind an "images" signature built from the image module (and valid-echo) with these options. */
export function withImage(model: Graph, options: Record<string, unknown>, request: Partial<SignatureRequest> = {}): Graph {
  return composeSignatures(model, { signatures: { images: ['image', 'valid-echo'] }, moduleOptions: { image: options }, ...request }, [
    { plugin: '@modelport/module-image', value: imageModule }, { plugin: 'test', value: validEcho },
  ]);
}

/** Images of one size as the signature's input: [n, h, w, 3], uint8 or float32 0–255. */
export function pixelBatch(images: readonly DecodedImage[], dtype: 'uint8' | 'float32' = 'uint8'): TensorData {
  const { height, width } = images[0]!;
  const data = dtype === 'uint8' ? new Uint8Array(images.length * height * width * 3) : new Float32Array(images.length * height * width * 3);
  images.forEach((img, n) => {
    for (let p = 0; p < height * width; p++) for (let c = 0; c < 3; c++) data[(n * height * width + p) * 3 + c] = img.rgba[p * 4 + c]!;
  });
  return { dtype, shape: [images.length, height, width, 3], data };
}

/** The same image with red and blue swapped: what a BGR model expects to see as RGB. */
export function swapRedBlue(img: DecodedImage): DecodedImage {
  const rgba = Uint8Array.from(img.rgba);
  for (let p = 0; p < rgba.length; p += 4) [rgba[p], rgba[p + 2]] = [img.rgba[p + 2]!, img.rgba[p]!];
  return { ...img, rgba };
}

export async function runImages(graph: Graph, inputs: Record<string, TensorData>, key = 'images'): Promise<Record<string, TensorData>> {
  const exec = await GraphExecutor.create(graph);
  try {
    return await exec.runSignature(graph.signatures[key]!, inputs);
  } finally {
    exec.dispose();
  }
}

export function maxDifference(a: TensorData, b: TensorData): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shapes differ: [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]`);
  let d = 0;
  for (let i = 0; i < a.data.length; i++) d = Math.max(d, Math.abs(Number(a.data[i]) - Number(b.data[i])));
  return d;
}

export const valuesOf = (t: TensorData): number[] => Array.from(t.data as Float32Array);

/** The top-left height x width of a photo: a real image of a size no sample has (480x640). */
export function crop(img: DecodedImage, height: number, width: number): DecodedImage {
  const rgba = new Uint8Array(height * width * 4);
  for (let y = 0; y < height; y++) rgba.set(img.rgba.subarray(y * img.width * 4, (y * img.width + width) * 4), y * width * 4);
  return { height, width, rgba };
}

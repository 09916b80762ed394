import { allocValues, sizeOfShape, type DType, type TensorValues } from '../graph/dtype.js';
import { attrValue } from '../graph/attrs.js';
import type { NodeSpec } from '../graph/builder.js';
import { normalizeTensorRef, parseTensorRef, tensorRef } from '../graph/refs.js';
import type { ConstantTensor, Node, SignatureTensor, TensorRef } from '../graph/types.js';
import type { ModuleOps } from './module.js';

/**
 * The ops one module adds to one signature: nodes named "<prefix><name>" (made unique against every
 * name of the graph), constants, and the signature inputs the module creates.
 */
export class ModuleOpsCollector implements ModuleOps {
  readonly nodes: Node[] = [];
  readonly constants = new Map<string, ConstantTensor>();
  readonly inputs: Record<string, SignatureTensor> = {};

  constructor(private readonly prefix: string, private readonly taken: Set<string>) {}

  input(key: string, dtype: DType, shape: readonly number[]): TensorRef {
    const name = this.unique(`${this.signaturePrefix()}${key}`);
    this.push({ name, op: 'Placeholder', inputs: [], attrs: { dtype: attrValue.dtype(dtype), shape: attrValue.shape(shape) } });
    const ref = tensorRef(name);
    this.inputs[key] = { name: ref, dtype, shape: [...shape] };
    return ref;
  }

  constant(name: string, dtype: DType, shape: readonly number[], values: TensorValues | readonly number[]): TensorRef {
    const unique = this.unique(`${this.prefix}${name}`);
    const size = sizeOfShape(shape);
    let data: TensorValues;
    if (Array.isArray(values)) {
      data = allocValues(dtype, size);
      if (data instanceof BigInt64Array) (values as unknown as number[]).forEach((v, i) => { (data as BigInt64Array)[i] = BigInt(v); });
      else (data as Float32Array).set(values as unknown as number[]);
    } else data = values as TensorValues;
    if (data.length !== size) throw new Error(`constant "${name}" has ${data.length} values for shape [${shape.join(', ')}]`);
    this.constants.set(unique, { dtype, shape: [...shape], values: data });
    this.push({ name: unique, op: 'Const', inputs: [], attrs: { dtype: attrValue.dtype(dtype), value: { tensor: { dtype, shape: [...shape] } } } });
    return tensorRef(unique);
  }

  node(name: string, spec: NodeSpec): TensorRef {
    const unique = this.unique(`${this.prefix}${name}`);
    this.push({
      name: unique, op: spec.op, inputs: (spec.inputs ?? []).map(normalizeTensorRef), attrs: spec.attrs ?? {},
      ...(spec.controlInputs?.length ? { controlInputs: spec.controlInputs } : {}),
      ...(spec.outputs ? { outputs: spec.outputs } : {}),
    });
    return tensorRef(unique);
  }

  outputRef(ref: TensorRef, index: number): TensorRef {
    return tensorRef(parseTensorRef(ref).node, index);
  }

  /** Inputs are named after the signature only ("serving_default/image_tensor"): their names are what TFLite shows. */
  private signaturePrefix(): string {
    return this.prefix.split('/')[0] + '/';
  }

  private unique(base: string): string {
    let name = base;
    for (let i = 1; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  private push(node: Node): void {
    this.nodes.push(node);
  }
}

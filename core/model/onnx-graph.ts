import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type AttributeValue = number | number[] | string | { float: number } | { floats: number[] };

export type DataType = 'float' | 'int64' | 'bool';

/** A value in the graph: its name and its static shape (every graph we build has fixed shapes). */
export interface Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DataType;
}

const ONNX_TYPE: Record<DataType, number> = {
  float: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** Opset 17: the newest the bundled ONNX schema (IR version 8) describes, and every ORT provider runs it. */
export const OPSET = 17;

/**
 * Emits an ONNX graph node by node. Shapes are tracked by the callers (ops.ts) rather than inferred here, so
 * the builder stays a thin, schema-checked layer over the protobuf types.
 */
export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(private readonly graphName: string) {}

  /** A fresh value name derived from a hint, unique in this graph. */
  fresh(hint: string): string {
    let name = `${hint}_${this.counter++}`;
    while (this.names.has(name)) name = `${hint}_${this.counter++}`;
    this.names.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`graph ${this.graphName}: duplicate value name ${name}`);
    this.names.add(name);
    return name;
  }

  input(name: string, shape: readonly number[], dtype: DataType = 'float'): Tensor {
    this.inputs.push(valueInfo(this.claim(name), shape, dtype));
    return { name, shape, dtype };
  }

  output(t: Tensor, name?: string): Tensor {
    let out = t;
    if (name !== undefined && name !== t.name) {
      out = { name: this.claim(name), shape: t.shape, dtype: t.dtype };
      this.nodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [t.name], output: [out.name], name: out.name }));
    }
    this.outputs.push(valueInfo(out.name, out.shape, out.dtype));
    return out;
  }

  /** A constant baked into the model (weights at inference, interpolation matrices, shapes). */
  constant(hint: string, shape: readonly number[], values: Float32Array | number[], dtype: DataType = 'float'): Tensor {
    const name = this.fresh(hint);
    const size = shape.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`constant ${hint}: ${values.length} values for shape [${shape}]`);
    const proto = onnx.TensorProto.create({ name, dims: [...shape], dataType: ONNX_TYPE[dtype] });
    if (dtype === 'float') {
      const f = values instanceof Float32Array ? values : Float32Array.from(values);
      proto.rawData = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
    } else if (dtype === 'int64') {
      const b = new BigInt64Array(values.length);
      for (let i = 0; i < values.length; i++) b[i] = BigInt(values[i]!);
      proto.rawData = new Uint8Array(b.buffer);
    } else {
      proto.rawData = Uint8Array.from(values as number[], (v) => (v ? 1 : 0));
    }
    this.initializers.push(proto);
    return { name, shape, dtype };
  }

  scalar(hint: string, value: number): Tensor {
    return this.constant(hint, [], [value]);
  }

  int64s(hint: string, values: readonly number[]): Tensor {
    return this.constant(hint, [values.length], [...values], 'int64');
  }

  /** Adds one node; returns its outputs, with the shapes the caller computed. */
  node(
    opType: string,
    inputs: readonly (Tensor | null)[],
    outputs: readonly { hint: string; shape: readonly number[]; dtype?: DataType }[],
    attributes: Record<string, AttributeValue> = {},
  ): Tensor[] {
    const outs = outputs.map((o) => ({ name: this.fresh(o.hint), shape: o.shape, dtype: o.dtype ?? 'float' }));
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        name: outs[0]!.name,
        input: inputs.map((t) => (t === null ? '' : t.name)),
        output: outs.map((o) => o.name),
        attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
      }),
    );
    return outs;
  }

  /** Serialised ModelProto, ready for InferenceSession.create. */
  toBytes(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'universeg-workstation',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: onnx.GraphProto.create({
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      }),
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, shape: readonly number[], dtype: DataType) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: ONNX_TYPE[dtype],
        shape: { dim: shape.map((d) => ({ dimValue: d })) },
      },
    },
  });
}

function attribute(name: string, v: AttributeValue) {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return onnx.AttributeProto.create({ name, type: T.INT, i: v });
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: v });
  if ('float' in v) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.float });
  return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: v.floats });
}

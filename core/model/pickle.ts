/**
 * A safe subset of Python's unpickler (binary opcodes of protocols 2-4). Python's own unpickler can run any
 * function a file names; this one can only reach the globals the caller hands out, so a downloaded checkpoint
 * cannot run code.
 *
 * Python values map to: None -> null, bool -> boolean, int/float -> number, str -> string, bytes -> Uint8Array,
 * tuple and list -> array, dict -> Map.
 */

export interface UnpickleOptions {
  /** Names the file in errors. */
  source: string;
  /**
   * The value of global `module.name`, or undefined to refuse it. A function is called by REDUCE with the
   * argument tuple spread out.
   */
  resolveGlobal(module: string, name: string): unknown;
  /** The object behind a persistent id (BINPERSID); without it persistent ids are refused. */
  persistentLoad?(pid: unknown): unknown;
}

export function unpickle(bytes: Uint8Array, options: UnpickleOptions): unknown {
  const { source } = options;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;

  function fail(problem: string): never {
    throw new Error(`${source}: ${problem} (pickle byte ${pos})`);
  }
  function take(n: number): number {
    if (pos + n > bytes.byteLength) fail('pickle is truncated');
    const at = pos;
    pos += n;
    return at;
  }
  const u8 = () => bytes[take(1)];
  const u16 = () => view.getUint16(take(2), true);
  const u32 = () => view.getUint32(take(4), true);
  const u64 = () => {
    const n = view.getBigUint64(take(8), true);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) fail('length field too large');
    return Number(n);
  };
  const raw = (n: number) => bytes.subarray(take(n), pos);
  const text = (n: number) => {
    const at = take(n);
    try {
      return utf8.decode(bytes.subarray(at, pos));
    } catch {
      return fail('string is not valid UTF-8');
    }
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('pickle is truncated');
    const value = text(end - pos);
    pos++;
    return value;
  };
  const littleEndianInt = (data: Uint8Array) => {
    let n = 0n;
    for (let i = data.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(data[i]);
    if (data.length > 0 && data[data.length - 1] & 0x80) n -= 1n << BigInt(8 * data.length);
    if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) fail(`integer ${n} too large`);
    return Number(n);
  };

  const pop = () => (stack.length > 0 ? stack.pop() : fail('stack underflow'));
  const top = () => (stack.length > 0 ? stack[stack.length - 1] : fail('stack underflow'));
  const popToMark = () => {
    const at = marks.pop();
    if (at === undefined) fail('no MARK on the stack');
    return stack.splice(at);
  };
  const get = (index: number) => (memo.has(index) ? memo.get(index) : fail(`memo entry ${index} is missing`));
  const push = (value: unknown) => stack.push(value);
  const asMap = (value: unknown) => (value instanceof Map ? value : fail('SETITEM target is not a dict'));
  const asList = (value: unknown) => (Array.isArray(value) ? value : fail('APPEND target is not a list'));
  const setItems = (dict: Map<unknown, unknown>, items: unknown[]) => {
    if (items.length % 2 !== 0) fail('odd number of dict items');
    for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
  };
  const global = (module: string, name: string) => {
    const value = options.resolveGlobal(module, name);
    if (value === undefined) fail(`unsupported pickle global ${module}.${name}`);
    return value;
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME: framing only groups opcodes for buffered reads
        take(8);
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popToMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x4b: // BININT1
        push(u8());
        break;
      case 0x4d: // BININT2
        push(u16());
        break;
      case 0x4a: // BININT
        push(view.getInt32(take(4), true));
        break;
      case 0x8a: // LONG1
        push(littleEndianInt(raw(u8())));
        break;
      case 0x8b: // LONG4
        push(littleEndianInt(raw(u32())));
        break;
      case 0x47: // BINFLOAT
        push(view.getFloat64(take(8), false));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(text(u8()));
        break;
      case 0x58: // BINUNICODE
        push(text(u32()));
        break;
      case 0x8d: // BINUNICODE8
        push(text(u64()));
        break;
      case 0x43: // SHORT_BINBYTES
        push(raw(u8()).slice());
        break;
      case 0x42: // BINBYTES
        push(raw(u32()).slice());
        break;
      case 0x29: // EMPTY_TUPLE
      case 0x5d: // EMPTY_LIST
        push([]);
        break;
      case 0x74: // TUPLE
      case 0x6c: // LIST
        push(popToMark());
        break;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: // TUPLE3
        if (stack.length < op - 0x84) fail('stack underflow');
        push(stack.splice(-(op - 0x84)));
        break;
      case 0x61: {
        // APPEND
        const item = pop();
        asList(top()).push(item);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popToMark();
        asList(top()).push(...items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        push(new Map());
        break;
      case 0x64: {
        // DICT
        const dict = new Map();
        setItems(dict, popToMark());
        push(dict);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        asMap(top()).set(key, value);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popToMark();
        setItems(asMap(top()), items);
        break;
      }
      case 0x68: // BINGET
        push(get(u8()));
        break;
      case 0x6a: // LONG_BINGET
        push(get(u32()));
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x63: {
        // GLOBAL
        const module = line();
        push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        push(global(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const callable = pop();
        if (typeof callable !== 'function' || !Array.isArray(args)) fail('REDUCE needs a callable global and a tuple');
        push(callable(...args));
        break;
      }
      case 0x62: {
        // BUILD
        pop();
        // A dict's BUILD state holds instance attributes (a state_dict's `_metadata` of module versions) that carry
        // no tensors, so it is dropped; any other object would need its own __setstate__, which we refuse.
        if (!(top() instanceof Map)) fail('BUILD is only supported on dicts');
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        if (!options.persistentLoad) fail('persistent ids are not supported here');
        push(options.persistentLoad(pid));
        break;
      }
      default:
        pos--;
        fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')}`);
    }
  }
}

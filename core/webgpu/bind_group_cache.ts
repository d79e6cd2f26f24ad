/**
 * Bind groups reused across dispatches. A GPUBindGroup is a GPU object that
 * only the garbage collector frees, and V8 does not see its native size, so
 * one new bind group per dispatch let a training loop's process grow by
 * tens of megabytes per thousand steps while the buffer counters stayed flat.
 * Storage buffers come from pools, and a loop dispatches the same kernels on
 * the same shapes step after step, so a dispatch is keyed by its pipeline
 * layout, its storage buffers and its uniform *values*: each cached bind group
 * owns a small uniform buffer holding those values, written once at creation.
 * Beyond a fixed capacity the least recently used entry goes, its uniform
 * buffer destroyed after the next submit (pending work may still bind it).
 *
 * @module
 */

interface Entry {
  group: GPUBindGroup;
  uniform: GPUBuffer | null;
}

/** An LRU cache of bind groups keyed by layout, storage buffers and uniform contents. */
export class BindGroupCache {
  readonly #ids = new WeakMap<object, number>();
  #nextId = 1;
  readonly #entries = new Map<string, Entry>();
  #retired: GPUBuffer[] = [];
  #created = 0;
  readonly #capacity: number;

  /** @param capacity bind groups kept at most (default 4096) */
  constructor(capacity = 4096) {
    this.#capacity = capacity;
  }

  #id(o: object): number {
    let id = this.#ids.get(o);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(o, id);
    }
    return id;
  }

  /**
   * The bind group of storage `buffers` at bindings 1, 2, ... and a uniform buffer holding
   * `uniforms` at binding 0, made once per combination.
   *
   * @param device the device
   * @param layout the pipeline's bind group layout (one object per pipeline)
   * @param buffers storage buffers in binding order
   * @param uniforms the uniform words, or null when the kernel has none
   * @returns the bind group
   */
  get(
    device: GPUDevice,
    layout: GPUBindGroupLayout,
    buffers: readonly GPUBuffer[],
    uniforms: Uint32Array | null,
  ): GPUBindGroup {
    let key = `${this.#id(layout)}`;
    for (const b of buffers) key += `,${this.#id(b)}`;
    if (uniforms !== null) key += `|${uniforms.join(",")}`;
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key); // most recently used last
      this.#entries.set(key, hit);
      return hit.group;
    }
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, i) => ({
      binding: i + 1,
      resource: { buffer },
    }));
    let uniform: GPUBuffer | null = null;
    if (uniforms !== null) {
      uniform = device.createBuffer({
        size: Math.max(16, uniforms.byteLength),
        usage: GPUBufferUsage.UNIFORM,
        mappedAtCreation: true,
      });
      new Uint32Array(uniform.getMappedRange()).set(uniforms);
      uniform.unmap();
      entries.push({ binding: 0, resource: { buffer: uniform, size: uniforms.byteLength } });
    }
    const group = device.createBindGroup({ layout, entries });
    this.#created++;
    this.#entries.set(key, { group, uniform });
    if (this.#entries.size > this.#capacity) {
      const [oldest, entry] = this.#entries.entries().next().value!;
      this.#entries.delete(oldest);
      if (entry.uniform !== null) this.#retired.push(entry.uniform);
    }
    return group;
  }

  /** Destroys the uniform buffers of evicted entries (call right after a submit). */
  afterSubmit(): void {
    for (const b of this.#retired) b.destroy();
    this.#retired = [];
  }

  /** Forgets every bind group (call before buffers they bind are destroyed). */
  clear(): void {
    for (const { uniform } of this.#entries.values()) {
      if (uniform !== null) this.#retired.push(uniform);
    }
    this.#entries.clear();
  }

  /** Bind groups created so far. */
  get created(): number {
    return this.#created;
  }

  /** Bind groups cached now. */
  get size(): number {
    return this.#entries.size;
  }
}

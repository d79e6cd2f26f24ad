/**
 * The device-side error record: facts only the GPU holds (an index out of range, a target
 * outside the classes) are written by the kernel that finds them into a small buffer (see
 * `errorRecordWGSL` in kernels/launch.ts) instead of being clamped silently; the executor
 * copies the record with the next readback and raises the error there.
 *
 * @module
 */

import { IndexError } from "../errors.ts";

/** Builds the message of a recorded error from what the kernel wrote. */
export type RecordedErrorMessage = (value: number, bound: number, position: number) => string;

/** The error record of one executor: codes for the checks, the buffer, and the readback check. */
export class DeviceErrorRecord {
  readonly #device: GPUDevice;
  readonly #codes = new Map<string, number>();
  readonly #messages: RecordedErrorMessage[] = [];
  readonly #classes: (new (message: string) => Error)[] = [];
  #buffer: GPUBuffer | null = null;
  #armed = false;

  /**
   * An empty record (its buffer is created on first use).
   *
   * @param device the device the kernels run on
   */
  constructor(device: GPUDevice) {
    this.#device = device;
  }

  /**
   * The code kernels write for one kind of check (stable per key; codes start at 1).
   *
   * @param key what the check is (op, operand), the same for every call of that check
   * @param message builds the error message from the recorded value, bound and position
   * @param errorClass the error raised (default IndexError)
   * @returns the code
   */
  code(
    key: string,
    message: RecordedErrorMessage,
    errorClass: new (message: string) => Error = IndexError,
  ): number {
    const hit = this.#codes.get(key);
    if (hit !== undefined) return hit;
    this.#messages.push(message);
    this.#classes.push(errorClass);
    const code = this.#messages.length;
    this.#codes.set(key, code);
    return code;
  }

  /** The record buffer, for a dispatch that may report (arms the check at the next readback). */
  buffer(): GPUBuffer {
    if (this.#buffer === null) {
      this.#buffer = this.#device.createBuffer({
        label: "katagrad error record",
        size: 16,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
    }
    this.#armed = true;
    return this.#buffer;
  }

  /**
   * Appends a copy of the record to `encoder` when a dispatch since the last check may have
   * reported; returns the buffer to read back after the submit, or null.
   *
   * @param encoder the encoder of the readback's submit
   * @returns a mappable copy, or null when nothing was armed
   */
  copyForCheck(encoder: GPUCommandEncoder): GPUBuffer | null {
    if (!this.#armed || this.#buffer === null) return null;
    this.#armed = false;
    const staging = this.#device.createBuffer({
      size: 16,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    encoder.copyBufferToBuffer(this.#buffer, 0, staging, 0, 16);
    return staging;
  }

  /**
   * Reads a copy made by {@link copyForCheck} and throws the recorded error, if any (the
   * record is cleared first, so the error is raised once).
   *
   * @param staging the copy
   * @throws {IndexError} the recorded error (or the class its check names)
   */
  async check(staging: GPUBuffer): Promise<void> {
    try {
      await staging.mapAsync(GPUMapMode.READ);
      const words = new Uint32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      const code = words[0];
      if (code === 0) return;
      this.#device.queue.writeBuffer(this.#buffer!, 0, new Uint32Array(4));
      const value = words[1] | 0, bound = words[2] | 0, position = words[3];
      const message = this.#messages[code - 1];
      const ErrorClass = this.#classes[code - 1] ?? IndexError;
      throw new ErrorClass(
        message === undefined
          ? `an index check failed on the GPU (code ${code}, value ${value}, bound ${bound})`
          : `${message(value, bound, position)} (found on webgpu by a kernel; raised at this ` +
            "readback)",
      );
    } finally {
      staging.destroy();
    }
  }
}

/**
 * Typed arrays that grow as values arrive (doubling), for data sets read a row at a time:
 * eight bytes a value, never an object per value.
 */
export class GrowingFloats {
  private array = new Float64Array(1024);
  private length = 0;

  /** Room for `n` more values: write them at `array[at]` … `array[at + n - 1]`. */
  reserve(n: number): { array: Float64Array; at: number } {
    if (this.length + n > this.array.length) {
      const grown = new Float64Array(Math.max(this.array.length * 2, this.length + n));
      grown.set(this.array.subarray(0, this.length));
      this.array = grown;
    }
    const at = this.length;
    this.length += n;
    return { array: this.array, at };
  }

  /** The values, in an array of exactly their number. */
  done(): Float64Array {
    return this.array.slice(0, this.length);
  }
}

export class GrowingInts {
  private array = new Int32Array(1024);
  private length = 0;

  push(value: number): void {
    if (this.length === this.array.length) {
      const grown = new Int32Array(this.array.length * 2);
      grown.set(this.array);
      this.array = grown;
    }
    this.array[this.length++] = value;
  }

  done(): Int32Array {
    return this.array.slice(0, this.length);
  }
}

/**
 * Kata 11, steps 11.3, 11.4 and 11.8 (reference): what every tokenizer of
 * this kata shares — the vocabulary built from the merges, `decode`, and the
 * model file (`save` / `load`, minbpe's `.model` format).
 *
 * @module
 */

/** `decode` met an id that is neither a byte, a merge nor a special token. */
export class UnknownTokenIdError extends Error {
  /** The id. */
  readonly id: number;
  /** @param id the unknown id */
  constructor(id: number) {
    super(`invalid token id ${id}: not in the vocabulary (bytes 0-255, merges, special tokens)`);
    this.name = "UnknownTokenIdError";
    this.id = id;
  }
}

/** `load` met a line it cannot read. */
export class ModelFileError extends Error {
  /** The 1-based line number. */
  readonly line: number;
  /**
   * @param line the 1-based line number
   * @param message what is wrong there
   */
  constructor(line: number, message: string) {
    super(`model file line ${line}: ${message}`);
    this.name = "ModelFileError";
    this.line = line;
  }
}

/** The first line of a model file. */
export const MODEL_VERSION = "minbpe v1";

/**
 * The base of the tokenizers: merges, split pattern, special tokens and the
 * vocabulary they give; decode, save and load. Subclasses train and encode.
 */
export class Tokenizer {
  /** `pairKey(a, b) → new id`, in the order the merges were learned. */
  merges: Map<string, number> = new Map();
  /** The split pattern's source ("" for none). */
  pattern = "";
  /** Special token string → id. */
  specialTokens: Map<string, number> = new Map();
  /** Id → its bytes: 0–255 the bytes themselves, then each merge, then the special tokens. */
  vocab: Map<number, Uint8Array> = new Map();

  /** Starts with no merges: the vocabulary is the 256 bytes. */
  constructor() {
    this.buildVocab();
  }

  /**
   * Learns merges from `text` until the vocabulary has `vocabSize` tokens.
   *
   * @param _text the training text
   * @param _vocabSize 256 + the number of merges
   * @param _verbose print each merge
   */
  train(_text: string, _vocabSize: number, _verbose = false): void {
    throw new Error(`${this.constructor.name} cannot be trained`);
  }

  /**
   * Text to token ids.
   *
   * @param _text the text
   * @returns the ids
   */
  encode(_text: string): number[] {
    throw new Error(`${this.constructor.name} does not encode`);
  }

  /**
   * Builds `vocab` from the merges and special tokens (call it after
   * changing them): id `i < 256` is the byte `i`, a merge's id is the
   * concatenation of its pair's bytes, a special token is its UTF-8.
   *
   * @returns the vocabulary, also stored in `this.vocab`
   */
  buildVocab(): Map<number, Uint8Array> {
    const vocab = new Map<number, Uint8Array>();
    for (let i = 0; i < 256; i++) vocab.set(i, Uint8Array.of(i));
    for (const [k, idx] of this.merges) {
      const [a, b] = k.split(",").map(Number);
      const left = vocab.get(a)!, right = vocab.get(b)!;
      const bytes = new Uint8Array(left.length + right.length);
      bytes.set(left);
      bytes.set(right, left.length);
      vocab.set(idx, bytes);
    }
    const utf8 = new TextEncoder();
    for (const [s, idx] of this.specialTokens) vocab.set(idx, utf8.encode(s));
    this.vocab = vocab;
    return vocab;
  }

  /**
   * Token ids to the bytes they stand for, concatenated.
   *
   * @param ids the token ids
   * @returns the bytes
   * @throws {UnknownTokenIdError} for an id not in `vocab`
   */
  decodeBytes(ids: readonly number[]): Uint8Array {
    const parts: Uint8Array[] = [];
    let n = 0;
    for (const id of ids) {
      const bytes = this.vocab.get(id);
      if (bytes === undefined) throw new UnknownTokenIdError(id);
      parts.push(bytes);
      n += bytes.length;
    }
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) out.set(p, at), at += p.length;
    return out;
  }

  /**
   * Token ids to text: all their bytes joined first, then decoded as UTF-8,
   * each invalid sequence becoming U+FFFD (Python's `errors="replace"`).
   *
   * @param ids the token ids
   * @returns the text
   * @throws {UnknownTokenIdError} for an id not in `vocab`
   */
  decode(ids: readonly number[]): string {
    return new TextDecoder("utf-8").decode(this.decodeBytes(ids));
  }

  /**
   * The model file (minbpe's `.model`): `minbpe v1`, the pattern, the number
   * of special tokens, one `<token> <id>` line each, then one `<a> <b>` line
   * per merge in order (their ids are implied: 256, 257, …).
   *
   * @returns the file's text
   */
  save(): string {
    const lines = [MODEL_VERSION, this.pattern, String(this.specialTokens.size)];
    for (const [s, idx] of this.specialTokens) lines.push(`${s} ${idx}`);
    for (const k of this.merges.keys()) lines.push(k.replace(",", " "));
    return lines.join("\n") + "\n";
  }

  /**
   * Reads a model file written by {@link Tokenizer.save}: replaces the
   * pattern, special tokens and merges, and rebuilds `vocab`.
   *
   * @param model the file's text
   * @throws {ModelFileError} naming the line that is wrong
   */
  load(model: string): void {
    const lines = model.split("\n");
    if (lines.at(-1) === "") lines.pop();
    if (lines[0] !== MODEL_VERSION) {
      throw new ModelFileError(1, `expected "${MODEL_VERSION}", got ${JSON.stringify(lines[0])}`);
    }
    if (lines.length < 3) throw new ModelFileError(lines.length + 1, "the file ends too early");
    const int = (s: string, line: number, what: string) => {
      if (!/^\d+$/.test(s)) throw new ModelFileError(line, `${what}: ${JSON.stringify(s)}`);
      return Number(s);
    };
    const nSpecial = int(lines[2], 3, "expected the number of special tokens");
    const specials = new Map<string, number>();
    for (let i = 3; i < 3 + nSpecial; i++) {
      const line = lines[i];
      const space = line?.lastIndexOf(" ") ?? -1;
      if (space <= 0) throw new ModelFileError(i + 1, `expected "<special> <id>", got ${line}`);
      specials.set(line.slice(0, space), int(line.slice(space + 1), i + 1, "expected an id"));
    }
    const merges = new Map<string, number>();
    let idx = 256;
    for (let i = 3 + nSpecial; i < lines.length; i++) {
      const parts = lines[i].split(" ");
      if (parts.length !== 2) {
        throw new ModelFileError(i + 1, `expected "<a> <b>", got ${JSON.stringify(lines[i])}`);
      }
      const [a, b] = parts.map((p) => int(p, i + 1, "expected a token id"));
      if (a >= idx || b >= idx) {
        throw new ModelFileError(i + 1, `merge ${a} ${b} uses an id not defined before ${idx}`);
      }
      merges.set(`${a},${b}`, idx++);
    }
    this.pattern = lines[1];
    this.specialTokens = specials;
    this.merges = merges;
    this.buildVocab();
  }
}

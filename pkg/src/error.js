// KassaError: the one error class of every kassa entry. Wasm-free, so every entry (and the
// pure-JS ones) imports this same module: `instanceof KassaError` holds whichever entry threw.
// The wasm modules construct it themselves (each entry registers the class at init).

/** The kinds of error, a closed set (src/error.rs ErrorKind). */
const KINDS = new Set([
  'validation', 'signature', 'provider', 'decode', 'transport', 'timeout', 'unknown_outcome', 'config',
]);

// A registered symbol, so that two copies of the package (two versions in one bundle) still
// recognise each other's errors: `instanceof` checks this brand, not the prototype chain.
const BRAND = Symbol.for('kassa.KassaError');

export class KassaError extends Error {
  constructor(info) {
    super(info?.message ?? 'kassa error');
    this.name = 'KassaError';
    this.kind = KINDS.has(info?.kind) ? info.kind : 'validation';
    this.provider = info?.provider ?? null;
    this.operation = info?.operation ?? null;
    this.code = info?.code ?? null;
    this.field = info?.field ?? null;
    this.httpStatus = info?.httpStatus ?? null;
    this.retryable = Boolean(info?.retryable);
    if (info?.reference) this.reference = info.reference;
    this.details = info?.details ?? {};
  }

  get [BRAND]() {
    return true;
  }

  static [Symbol.hasInstance](value) {
    // Subclasses keep the ordinary prototype check.
    if (this !== KassaError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return value !== null && typeof value === 'object' && value[BRAND] === true;
  }

  toJSON() {
    const out = {
      name: this.name,
      kind: this.kind,
      message: this.message,
      provider: this.provider,
      operation: this.operation,
      code: this.code,
      field: this.field,
      httpStatus: this.httpStatus,
      retryable: this.retryable,
      details: this.details,
    };
    if (this.reference) out.reference = this.reference;
    return out;
  }
}

/** A validation error about an argument: `field` names it, `rule` says what it must be. */
export function validationError(field, rule) {
  return new KassaError({ kind: 'validation', field, message: `\`${field}\` ${rule}` });
}

/** A config error about a client option. */
export function configError(field, rule) {
  return new KassaError({ kind: 'config', field, message: `client option \`${field}\` ${rule}` });
}

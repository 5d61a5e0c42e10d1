// KassaError, the one error class of every kassa entry. Free of wasm, so that entries which
// load no wasm of their own (kassa/journal) throw the same class.

const KINDS = new Set([
  'validation', 'signature', 'provider', 'decode', 'transport', 'timeout', 'unknown_outcome', 'config',
]);

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

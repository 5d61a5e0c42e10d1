// The one name by which the journal reaches a client's internal journal step (free of wasm, so
// kassa/journal can import it without loading any). Symbol.for: the same symbol in every copy.
export const JOURNAL_STEP = Symbol.for('kassa.journalStep');

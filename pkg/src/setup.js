// Called by each runtime entry once the wasm module is initialized: installs on each client
// class the methods its Rust table declares (operations, flows, helpers; src/helper.rs).
import { TarlanAgws, TarlanAcquiring, AssistFiscal, FiscalBox, FiscalBoxBilling } from './api.js';
import { installHelpers } from './internal.js';

const CLIENT_CLASSES = {
  agws: TarlanAgws,
  acquiring: TarlanAcquiring,
  assist: AssistFiscal,
  fiscalbox: FiscalBox,
  fiscalboxBilling: FiscalBoxBilling,
};

export function setup() {
  for (const [providerId, cls] of Object.entries(CLIENT_CLASSES)) installHelpers(cls, providerId);
}

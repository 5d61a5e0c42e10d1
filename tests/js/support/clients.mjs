// Every kassa client, pointed at a running emulator with the emulator's test credentials.
import { TarlanAgws, TarlanAcquiring, AssistFiscal, FiscalBox, FiscalBoxBilling } from 'kassa';

export function clientsFor(emulator, transport = {}) {
  const { agws, acquiring, assist, fiscalbox, fiscalboxBilling } = emulator.credentials;
  const urls = emulator.baseUrls;
  // Built on first use, so a test touching one provider does not depend on the others.
  const make = {
    agws: () => new TarlanAgws({ baseUrl: urls.agws, secret: agws.secret, agent: agws.agent, project: agws.project, ...transport }),
    acquiring: () => new TarlanAcquiring({
      baseUrl: urls.acquiring, secret: acquiring.secret, merchantId: acquiring.merchantId, projectId: acquiring.projectId, ...transport,
    }),
    assist: () => new AssistFiscal({ baseUrl: urls.assist, merchantId: assist.merchantId, login: assist.login, password: assist.password, ...transport }),
    // walletAmountUnit: the unit the emulated device expects (kassa has no default for it).
    fiscalbox: () => new FiscalBox({ baseUrl: urls.fiscalbox, walletAmountUnit: fiscalbox.walletAmountUnit, ...transport }),
    fiscalboxBilling: () => new FiscalBoxBilling({
      baseUrl: urls.fiscalboxBilling, username: fiscalboxBilling.username, password: fiscalboxBilling.password, ...transport,
    }),
  };
  const built = {};
  return new Proxy(built, {
    get: (target, name) => (typeof name === 'string' && name in make ? (target[name] ??= make[name]()) : undefined),
  });
}

// Exact decimal arithmetic for amounts. Amounts arrive as float64 JSON numbers (Tarlan) or
// decimal strings (UzQR); computing fees or balances on floats would drift (0.1 + 0.2), so every
// calculation runs on BigInt units with an explicit scale and is converted back only for output.

/** A decimal is { units: BigInt, scale: number } meaning units / 10^scale. */
export function decimalFromString(text) {
  const match = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(String(text).trim());
  if (!match) return null;
  const [, sign, whole, fraction = '', exponentText = '0'] = match;
  let digits = whole + fraction;
  let scale = fraction.length - Number(exponentText);
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  const units = BigInt(digits) * (sign === '-' ? -1n : 1n);
  return normalize({ units, scale });
}

/** The decimal a float64 stands for in its shortest round-trip spelling (what Go would print). */
export function decimalFromNumber(number) {
  if (typeof number !== 'number' || !Number.isFinite(number)) return null;
  return decimalFromString(String(number));
}

function normalize({ units, scale }) {
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

function rescale(decimal, scale) {
  return decimal.units * 10n ** BigInt(scale - decimal.scale);
}

export function addDecimals(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return normalize({ units: rescale(a, scale) + rescale(b, scale), scale });
}

export function compareDecimals(a, b) {
  const scale = Math.max(a.scale, b.scale);
  const diff = rescale(a, scale) - rescale(b, scale);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

export function multiplyDecimals(a, b) {
  return normalize({ units: a.units * b.units, scale: a.scale + b.scale });
}

/** decimal * numerator / denominator rounded half away from zero to `scale` digits. */
export function scaleAndRound(decimal, numerator, denominator, scale) {
  const num = decimal.units * BigInt(numerator) * 10n ** BigInt(scale);
  const den = BigInt(denominator) * 10n ** BigInt(decimal.scale);
  return normalize({ units: divideHalfUp(num, den), scale });
}

function divideHalfUp(numerator, denominator) {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const rounded = (2n * n + d) / (2n * d);
  return negative ? -rounded : rounded;
}

export function decimalToString(decimal) {
  const negative = decimal.units < 0n;
  const digits = (negative ? -decimal.units : decimal.units).toString().padStart(decimal.scale + 1, '0');
  const whole = digits.slice(0, digits.length - decimal.scale);
  const fraction = digits.slice(digits.length - decimal.scale);
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** For JSON output: the nearest float64 of an exact decimal (prints as the shortest form, e.g. 11.84). */
export function decimalToNumber(decimal) {
  return Number(decimalToString(decimal));
}

/** Integer minor units (cents/tiyin) of an amount with at most 2 decimals, or null. */
export function toMinorUnits(amount) {
  const decimal = typeof amount === 'number' ? decimalFromNumber(amount) : decimalFromString(amount);
  if (!decimal || decimal.scale > 2) return null;
  const minor = rescale(decimal, 2);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < -BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(minor);
}

export function minorToNumber(minor) {
  return decimalToNumber({ units: BigInt(minor), scale: 2 });
}

/** "100.00"-style text of integer minor units. */
export function minorToFixed2(minor) {
  const decimal = { units: BigInt(minor), scale: 2 };
  const text = decimalToString(decimal);
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

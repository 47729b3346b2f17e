/** Integer cents as dollars for people: `$1,234.56`; with `sign`, `+$3.20` / `-$3.20` / `$0.00`. */
export function formatUsd(cents: number, options: { sign?: boolean } = {}): string {
  const abs = Math.abs(cents);
  const text = `$${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
  if (cents < 0) return `-${text}`;
  return options.sign && cents > 0 ? `+${text}` : text;
}

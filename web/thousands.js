// thousands writes a count as English readers expect it, digits grouped by
// commas ("13,001"), as toLocaleString("en") does for whole numbers. That
// call's first use loads the locale's number formats: 19–28 ms on a cold
// start, on the first diagnostics' way to the screen.
export function thousands(n) {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}

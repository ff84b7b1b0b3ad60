/**
 * One benchmark of `npm run bench`. It prints its own table and a one-line
 * verdict against a baseline measured in the same run (house rule: figures
 * from a benchmark, never from a timed test).
 */
export interface Benchmark {
  /** Printed as the section title. */
  readonly title: string;
  /** Runs, then prints through `print` (one call per line). */
  run(print: (line: string) => void): Promise<void>;
}

// Preloaded (`node --import`) into a CLI child process by `runCli({ now })`: the process's
// clock starts at BRAZE_TEST_NOW (epoch ms) and runs on at real speed from there, so
// elapsed-time logic (timeouts, "in 1.2 s") is untouched while "today" is a fixed day.
// The product has no clock seam of its own on the command line, and should not grow one
// for tests; this is libfaketime's trick, for one Node process.
const start = Number(process.env.BRAZE_TEST_NOW);
if (!Number.isFinite(start))
  throw new Error(`BRAZE_TEST_NOW must be epoch ms, got ${process.env.BRAZE_TEST_NOW}`);
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
const offset = start - realNow();
const now = () => realNow() + offset;

class FixedNowDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(now());
    else super(...args);
  }
  static now() {
    return now();
  }
}
globalThis.Date = FixedNowDate;

export default function run(): unknown {
  throw new RangeError("broken on purpose");
}

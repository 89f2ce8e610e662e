export default function run(): unknown {
  return { count: 1, format: (n: number) => `#${n}` };
}

export default async function run(): Promise<unknown> {
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  return "too late";
}

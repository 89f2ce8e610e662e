export default async function run(): Promise<unknown> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return "sibling done";
}

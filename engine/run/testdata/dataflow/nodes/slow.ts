export default async function run(): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 400));
  return "slow done";
}

export default function run(): unknown {
  return {
    get boom(): number {
      throw new Error("no boom today");
    },
  };
}

/**
 * What goes into the local base image, and a hash of it that serves as its tag.
 *
 * @module
 */

import {
  hostTopLevelLinks,
  libraryFile,
  type RootfsFile,
  sharedLibraries,
  which,
} from "./_rootfs.ts";

/** Options for {@linkcode ensureBaseImage}. */
export interface BaseImageOptions {
  /** Native tools copied from the host PATH into `/usr/bin`. */
  tools?: string[];
  /** The Deno binary to ship; defaults to the one running this code. */
  denoPath?: string;
  /** Image repository; the tag is a hash of every input. */
  repository?: string;
}

/** The tools the pod images need: the ffmpeg sidecar and the Markdown sidecar. */
export const DEFAULT_TOOLS: readonly string[] = ["ffmpeg", "ffprobe", "cmark-gfm"];

/** Bump when the layout below changes, so old images are not reused. */
const LAYOUT_VERSION = "1";

const PASSWD = "root:x:0:0:root:/root:/sbin/nologin\n" +
  "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n" +
  "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n";
const GROUP = "root:x:0:\nnonroot:x:65532:\nnogroup:x:65534:\n";
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/** Everything that goes into the base image, and a hash of it. */
export interface BaseImagePlan {
  /** Files to copy, sorted by target. */
  files: RootfsFile[];
  /** Top-level symlinks to mirror from the host. */
  links: Array<{ path: string; target: string }>;
  /** Generated text files by target path. */
  texts: Record<string, string>;
  /** The Dockerfile of the build context. */
  dockerfile: string;
  /** SHA-256 (hex) over all of the above plus each source's size and mtime. */
  hash: string;
}

/**
 * Resolves every input of the base image on this host.
 *
 * @param options Which tools and Deno binary to ship.
 * @returns The plan, with its hash.
 * @throws {Error} When tools are missing from PATH or libraries cannot be resolved.
 */
export async function planBaseImage(options: BaseImageOptions): Promise<BaseImagePlan> {
  const tools = options.tools ?? DEFAULT_TOOLS;
  const missing = tools.filter((tool) => which(tool) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `cannot build the base image: not on PATH: ${missing.join(", ")} ` +
        `(on Debian: apt-get install -y ${missing.map(debianPackage).join(" ")})`,
    );
  }
  const binaries: RootfsFile[] = [
    { source: Deno.realPathSync(options.denoPath ?? Deno.execPath()), target: "/usr/bin/deno" },
    ...tools.map((tool) => ({ source: which(tool)!, target: `/usr/bin/${tool}` })),
  ];
  const byTarget = new Map(binaries.map((file) => [file.target, file]));
  for (const binary of binaries) {
    for (const library of await sharedLibraries(binary.source)) {
      const file = libraryFile(library);
      byTarget.set(file.target, file);
    }
  }
  const tini = which("tini-static");
  if (tini !== undefined) byTarget.set("/tini", { source: tini, target: "/tini" });
  if (exists(CA_BUNDLE)) byTarget.set(CA_BUNDLE, { source: CA_BUNDLE, target: CA_BUNDLE });
  const files = [...byTarget.values()].sort((a, b) => a.target.localeCompare(b.target));
  const links = hostTopLevelLinks();
  const texts = { "/etc/passwd": PASSWD, "/etc/group": GROUP };
  const dockerfile = baseDockerfile(tini !== undefined);
  const hash = await sha256Hex(JSON.stringify({
    LAYOUT_VERSION,
    dockerfile,
    texts,
    links,
    files: files.map((file) => {
      const info = Deno.statSync(file.source);
      return [file.source, file.target, info.size, info.mtime?.getTime() ?? 0];
    }),
  }));
  return { files, links, texts, dockerfile, hash };
}

function baseDockerfile(withTini: boolean): string {
  const entrypoint = withTini ? `["/tini", "--", "deno"]` : `["deno"]`;
  return [
    "FROM scratch",
    "COPY rootfs/ /",
    "ENV PATH=/usr/local/bin:/usr/bin:/bin DENO_DIR=/deno-dir/ DENO_NO_UPDATE_CHECK=1",
    `LABEL org.opencontainers.image.description="tntc local base: deno + native tools, no registry"`,
    `ENTRYPOINT ${entrypoint}`,
    `CMD ["--version"]`,
    "",
  ].join("\n");
}

function debianPackage(tool: string): string {
  return tool === "ffprobe" ? "ffmpeg" : tool;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

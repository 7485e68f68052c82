// @ts-check
// The mdbook-iam tutorial as a Docusaurus 3 site. Its pages use the MDX-valid directive spellings; the
// plugin expands them from the same catalog the mdBook example uses.

const fs = require("node:fs");
const path = require("node:path");

function repositoryBuild() {
  const built = path.join(__dirname, "../target/release/mdbook-iam");
  return fs.existsSync(path.join(__dirname, "../Cargo.toml")) && fs.existsSync(built) ? built : undefined;
}

/** @type {import('@docusaurus/types').Config} */
module.exports = {
  title: "mdbook-iam example",
  tagline: "IAM policies from one catalog",
  url: "https://example.com",
  baseUrl: "/",
  onBrokenLinks: "throw",
  i18n: { defaultLocale: "en", locales: ["en"] },
  presets: [
    [
      "classic",
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: { routeBasePath: "/", sidebarPath: require.resolve("./sidebars.js") },
        blog: false,
      }),
    ],
  ],
  plugins: [
    [
      "docusaurus-plugin-mdbook-iam",
      {
        // A link to book-example/iam-catalog.toml: one catalog serves both examples.
        catalog: "iam-catalog.toml",
        // MDBOOK_IAM_BIN when set, else this repository's own build (scripts/build-binary.mjs makes it before
        // `npm run build`); in a copy of the site elsewhere, the binary the `mdbook-iam` npm package brought.
        binary: process.env.MDBOOK_IAM_BIN ?? repositoryBuild(),
      },
    ],
  ],
  themeConfig: {
    navbar: { title: "mdbook-iam example" },
  },
};

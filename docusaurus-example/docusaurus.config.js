// @ts-check
// The mdbook-iam tutorial as a Docusaurus 3 site. Its pages use the MDX-valid directive spellings; the
// plugin expands them from the same catalog the mdBook example uses.

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
        // This repository's own build, unless MDBOOK_IAM_BIN names another.
        binary: process.env.MDBOOK_IAM_BIN ?? require("node:path").join(__dirname, "../target/release/mdbook-iam"),
      },
    ],
  ],
  themeConfig: {
    navbar: { title: "mdbook-iam example" },
  },
};

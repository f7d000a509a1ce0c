// npm-sbom-lenient.js — runs npm's own `npm sbom --package-lock-only
// --sbom-format cyclonedx` code path (Arborist.loadVirtual, the same node
// selector, the same cyclonedxOutput) but reports the ESBOMPROBLEMS
// (invalid/missing edges) on stderr instead of refusing to print the SBOM.
// Usage: node npm-sbom-lenient.js <dir holding package-lock.json and package.json>
const npmRoot = process.env.NPM_ROOT || '/usr/lib/node_modules/npm'
const Arborist = require(npmRoot + '/node_modules/@npmcli/arborist')
const localeCompare = require(npmRoot + '/node_modules/@isaacs/string-locale-compare')('en')
const { cyclonedxOutput } = require(npmRoot + '/lib/utils/sbom-cyclonedx.js')
const npmVersion = require(npmRoot + '/package.json').version

async function main () {
  const path = process.argv[2]
  const arb = new Arborist({ path, forceActual: true })
  const tree = await arb.loadVirtual({ path })
  // npm sbom's selector with no --omit and workspaces enabled.
  const items = await tree.querySelectorAll(':root,:root *,:extraneous')
  const errors = new Set()
  for (const node of items) {
    for (const edge of node.edgesOut.values()) {
      if (edge.missing && !(edge.type === 'optional' || edge.type === 'peerOptional')) {
        errors.add(`missing: ${edge.name}@${edge.spec}, required by ${edge.from.pkgid}`)
      }
      if (edge.invalid) {
        errors.add(`invalid: ${edge.to.pkgid}, ${edge.spec || '*'} required by ${edge.from.pkgid}`)
      }
    }
  }
  for (const e of errors) process.stderr.write('ESBOMPROBLEMS (ignored): ' + e + '\n')
  const bom = cyclonedxOutput({
    npm: { version: npmVersion },
    nodes: items.sort((a, b) => localeCompare(a.location, b.location)),
    packageLockOnly: true,
  })
  process.stdout.write(JSON.stringify(bom, null, 2) + '\n')
}
main().catch(e => { console.error(e); process.exit(1) })

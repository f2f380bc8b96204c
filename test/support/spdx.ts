// Checks an SPDX 2.3 JSON document against the specification's field list. SPDX
// publishes a JSON schema for 2.3 (spdx-spec, schemas/spdx-schema.json), but no package on
// the npm registry or in Debian carries it (searched: the SPDX, CycloneDX, cdxgen and
// datadog packages; cdxgen ships SPDX 3 and CycloneDX schemas only), and nothing may be
// downloaded from elsewhere. So this schema is written here from the spec's clauses:
// document creation (6), package (7) and relationship (11) information, with each
// field's cardinality and format. It covers every field a scratchfn SBOM uses and rejects
// any field the spec does not define for that object (as the published schema does), so a
// misspelt or invented field fails. The checks that a JSON schema cannot state (ids
// unique and resolvable, DESCRIBES present, checksum lengths) follow it.
import { Ajv } from 'ajv'

const SPDX_ID = '^SPDXRef-[A-Za-z0-9.-]+$'
// Clause 7.10: the algorithms a package checksum may name.
const ALGORITHMS = [
  'SHA1',
  'SHA224',
  'SHA256',
  'SHA384',
  'SHA512',
  'SHA3-256',
  'SHA3-384',
  'SHA3-512',
  'BLAKE2b-256',
  'BLAKE2b-384',
  'BLAKE2b-512',
  'BLAKE3',
  'MD2',
  'MD4',
  'MD5',
  'MD6',
  'ADLER32',
]
const HEX_LENGTH: Record<string, number> = { SHA1: 40, SHA256: 64, SHA384: 96, SHA512: 128 }
// Clause 11.1: relationship types.
const RELATIONSHIPS = [
  'DESCRIBES',
  'DESCRIBED_BY',
  'CONTAINS',
  'CONTAINED_BY',
  'DEPENDS_ON',
  'DEPENDENCY_OF',
  'DEPENDENCY_MANIFEST_OF',
  'BUILD_DEPENDENCY_OF',
  'DEV_DEPENDENCY_OF',
  'OPTIONAL_DEPENDENCY_OF',
  'PROVIDED_DEPENDENCY_OF',
  'TEST_DEPENDENCY_OF',
  'RUNTIME_DEPENDENCY_OF',
  'EXAMPLE_OF',
  'GENERATES',
  'GENERATED_FROM',
  'ANCESTOR_OF',
  'DESCENDANT_OF',
  'VARIANT_OF',
  'DISTRIBUTION_ARTIFACT',
  'PATCH_FOR',
  'PATCH_APPLIED',
  'COPY_OF',
  'FILE_ADDED',
  'FILE_DELETED',
  'FILE_MODIFIED',
  'EXPANDED_FROM_ARCHIVE',
  'DYNAMIC_LINK',
  'STATIC_LINK',
  'DATA_FILE_OF',
  'TEST_CASE_OF',
  'BUILD_TOOL_OF',
  'DEV_TOOL_OF',
  'TEST_OF',
  'TEST_TOOL_OF',
  'DOCUMENTATION_OF',
  'OPTIONAL_COMPONENT_OF',
  'METAFILE_OF',
  'PACKAGE_OF',
  'AMENDS',
  'PREREQUISITE_FOR',
  'HAS_PREREQUISITE',
  'REQUIREMENT_DESCRIPTION_FOR',
  'SPECIFICATION_FOR',
  'OTHER',
]
// Clause 7.24: primary package purposes.
const PURPOSES = [
  'APPLICATION',
  'FRAMEWORK',
  'LIBRARY',
  'CONTAINER',
  'OPERATING-SYSTEM',
  'DEVICE',
  'FIRMWARE',
  'SOURCE',
  'ARCHIVE',
  'FILE',
  'INSTALL',
  'OTHER',
]
// Clause 7.7: a URL, a VCS locator (git+..., with an optional @revision), NONE or NOASSERTION.
const DOWNLOAD = '^(NONE|NOASSERTION|(git|hg|svn|bzr)\\+[a-z]+://\\S+|(https?|ftp|sftp)://\\S+)$'
const ISO_DATE = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$'
const LICENSE = '^(NONE|NOASSERTION|[A-Za-z0-9.+\\-() :]+)$'

const checksum = {
  type: 'object',
  additionalProperties: false,
  required: ['algorithm', 'checksumValue'],
  properties: { algorithm: { enum: ALGORITHMS }, checksumValue: { type: 'string', pattern: '^[0-9a-f]+$' } },
}
const externalRef = {
  type: 'object',
  additionalProperties: false,
  required: ['referenceCategory', 'referenceType', 'referenceLocator'],
  properties: {
    referenceCategory: { enum: ['SECURITY', 'PACKAGE-MANAGER', 'PERSISTENT-ID', 'OTHER'] },
    referenceType: { type: 'string', minLength: 1 },
    referenceLocator: { type: 'string', pattern: '^\\S+$' },
    comment: { type: 'string' },
  },
  // Clause 7.21 and Annex F: a purl locator is pkg:type/namespace/name@version?qualifiers.
  if: { properties: { referenceType: { const: 'purl' } } },
  then: { properties: { referenceLocator: { pattern: '^pkg:[a-z0-9.+-]+/[^@?#]+(@[^?#]+)?(\\?[^#]+)?$' } } },
}
const supplier = { type: 'string', pattern: '^(NOASSERTION|(Person|Organization): .+)$' }
const pkg = {
  type: 'object',
  additionalProperties: false,
  // Clause 7: name, SPDXID and downloadLocation are mandatory; with filesAnalyzed false
  // no packageVerificationCode or files are due.
  required: ['SPDXID', 'name', 'downloadLocation'],
  properties: {
    SPDXID: { type: 'string', pattern: SPDX_ID },
    name: { type: 'string', minLength: 1 },
    versionInfo: { type: 'string', minLength: 1 },
    packageFileName: { type: 'string' },
    supplier,
    originator: supplier,
    downloadLocation: { type: 'string', pattern: DOWNLOAD },
    filesAnalyzed: { type: 'boolean' },
    packageVerificationCode: { type: 'object' },
    checksums: { type: 'array', items: checksum },
    homepage: { type: 'string' },
    sourceInfo: { type: 'string' },
    licenseConcluded: { type: 'string', pattern: LICENSE },
    licenseInfoFromFiles: { type: 'array', items: { type: 'string' } },
    licenseDeclared: { type: 'string', pattern: LICENSE },
    licenseComments: { type: 'string' },
    copyrightText: { type: 'string' },
    summary: { type: 'string' },
    description: { type: 'string' },
    comment: { type: 'string' },
    externalRefs: { type: 'array', items: externalRef },
    attributionTexts: { type: 'array', items: { type: 'string' } },
    primaryPackagePurpose: { enum: PURPOSES },
    releaseDate: { type: 'string', pattern: ISO_DATE },
    builtDate: { type: 'string', pattern: ISO_DATE },
    validUntilDate: { type: 'string', pattern: ISO_DATE },
    annotations: { type: 'array' },
    hasFiles: { type: 'array', items: { type: 'string' } },
  },
  // Clause 7.8: a package whose files were analysed must carry a verification code.
  if: { not: { properties: { filesAnalyzed: { const: false } }, required: ['filesAnalyzed'] } },
  then: { required: ['packageVerificationCode'] },
}
// Clause 8.4: file types.
const FILE_TYPES = ['SOURCE', 'BINARY', 'ARCHIVE', 'APPLICATION', 'AUDIO', 'IMAGE', 'TEXT', 'VIDEO', 'DOCUMENTATION', 'SPDX', 'OTHER']
const file = {
  type: 'object',
  additionalProperties: false,
  // Clause 8: name, SPDXID and a SHA1 checksum (8.4) are mandatory; a file name is relative, './...' (8.1).
  required: ['SPDXID', 'fileName', 'checksums'],
  properties: {
    SPDXID: { type: 'string', pattern: SPDX_ID },
    fileName: { type: 'string', pattern: '^\\./\\S+$' },
    fileTypes: { type: 'array', items: { enum: FILE_TYPES } },
    checksums: { type: 'array', items: checksum, contains: { properties: { algorithm: { const: 'SHA1' } } } },
    licenseConcluded: { type: 'string', pattern: LICENSE },
    licenseInfoInFiles: { type: 'array', items: { type: 'string' } },
    licenseComments: { type: 'string' },
    copyrightText: { type: 'string' },
    comment: { type: 'string' },
    noticeText: { type: 'string' },
    fileContributors: { type: 'array', items: { type: 'string' } },
    attributionTexts: { type: 'array', items: { type: 'string' } },
    annotations: { type: 'array' },
  },
}
const documentSchema = {
  type: 'object',
  additionalProperties: false,
  // Clause 6: the mandatory document creation fields.
  required: ['spdxVersion', 'dataLicense', 'SPDXID', 'name', 'documentNamespace', 'creationInfo'],
  properties: {
    spdxVersion: { const: 'SPDX-2.3' },
    dataLicense: { const: 'CC0-1.0' },
    SPDXID: { const: 'SPDXRef-DOCUMENT' },
    name: { type: 'string', minLength: 1 },
    // Clause 6.5: a unique absolute URI, no '#'.
    documentNamespace: { type: 'string', pattern: '^[a-z][a-z0-9+.-]*:[^#\\s]+$' },
    externalDocumentRefs: { type: 'array' },
    comment: { type: 'string' },
    creationInfo: {
      type: 'object',
      additionalProperties: false,
      required: ['created', 'creators'],
      properties: {
        created: { type: 'string', pattern: ISO_DATE },
        creators: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^(Person|Organization|Tool): .+$' } },
        licenseListVersion: { type: 'string' },
        comment: { type: 'string' },
      },
    },
    documentDescribes: { type: 'array', items: { type: 'string' } },
    packages: { type: 'array', items: pkg },
    files: { type: 'array', items: file },
    snippets: { type: 'array' },
    hasExtractedLicensingInfos: { type: 'array' },
    annotations: { type: 'array' },
    relationships: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['spdxElementId', 'relationshipType', 'relatedSpdxElement'],
        properties: {
          spdxElementId: { type: 'string', pattern: '^(SPDXRef-DOCUMENT|' + SPDX_ID.slice(1, -1) + ')$' },
          relationshipType: { enum: RELATIONSHIPS },
          relatedSpdxElement: { type: 'string', pattern: '^(NONE|NOASSERTION|SPDXRef-[A-Za-z0-9.-]+)$' },
          comment: { type: 'string' },
        },
      },
    },
  },
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(documentSchema)

/** What is wrong with the document, as SPDX 2.3 states it; empty when it is valid. */
export function spdxProblems(doc: unknown): string[] {
  if (!validate(doc)) return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
  const d = doc as {
    packages?: Array<{ SPDXID: string; checksums?: Array<{ algorithm: string; checksumValue: string }> }>
    files?: Array<{ SPDXID: string; checksums?: Array<{ algorithm: string; checksumValue: string }> }>
    relationships?: Array<{ spdxElementId: string; relationshipType: string; relatedSpdxElement: string }>
  }
  const problems: string[] = []
  const ids = new Set<string>(['SPDXRef-DOCUMENT'])
  for (const p of [...(d.packages ?? []), ...(d.files ?? [])]) {
    if (ids.has(p.SPDXID)) problems.push(`SPDXID ${p.SPDXID} is used twice`)
    ids.add(p.SPDXID)
    for (const c of p.checksums ?? [])
      if (HEX_LENGTH[c.algorithm] && c.checksumValue.length !== HEX_LENGTH[c.algorithm])
        problems.push(`${p.SPDXID}: a ${c.algorithm} is ${HEX_LENGTH[c.algorithm]} hex digits, not ${c.checksumValue.length}`)
  }
  for (const r of d.relationships ?? [])
    for (const id of [r.spdxElementId, r.relatedSpdxElement])
      if (id.startsWith('SPDXRef-') && !ids.has(id)) problems.push(`relationship ${r.relationshipType} names ${id}, which no element has`)
  // Clause 6: a document DESCRIBES at least one element (documentDescribes or a relationship).
  if (!(d.relationships ?? []).some((r) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES'))
    problems.push('the document DESCRIBES nothing')
  return problems
}

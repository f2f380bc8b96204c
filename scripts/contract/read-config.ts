// Reads `export const config = {...}` out of a function file without running it, with
// the place of every key. The build must know the config before bundling (route, budget,
// env), and running the user's module in Node to find out would run its top level.
// So the initializer is evaluated as a constant expression: literals, objects, arrays,
// arithmetic, string concatenation and templates, and top-level `const` names of the
// same file. Anything else (a call, process.env, an import) is refused at its place,
// never silently dropped.
import ts from 'typescript'
import { LocatedError, type SourceProblem } from '../shared/located-error.ts'

export interface ConfigPlace {
  line: number
  column: number
}

export interface ReadConfig {
  /** The evaluated object; absent when the file exports no config. */
  values?: Record<string, unknown>
  /** Where each key was written, by dotted path ('scaling.max', 'env.GREETING'); '' is the object itself. */
  places: Map<string, ConfigPlace>
  /** Whether the file has a default export. */
  hasDefault: boolean
}

export function readConfig(source: ts.SourceFile, relFile: string): ReadConfig {
  const place = (node: ts.Node): ConfigPlace => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source))
    return { line: line + 1, column: character + 1 }
  }
  const refuse = (node: ts.Node, message: string, hint?: string): never => {
    throw new LocatedError({ file: relFile, ...place(node), message, ...(hint ? { hint } : {}) } satisfies SourceProblem)
  }

  const consts = new Map<string, ts.Expression>()
  const exportedNames = new Map<string, string>() // exported name -> local name
  let hasDefault = false
  let configInit: ts.Expression | undefined
  let configDecl: ts.Node | undefined
  for (const stmt of source.statements) {
    const mods = ts.canHaveModifiers(stmt) ? (ts.getModifiers(stmt) ?? []) : []
    const exported = mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    if (ts.isExportAssignment(stmt) && !stmt.isExportEquals) hasDefault = true
    if (exported && mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) hasDefault = true
    if (ts.isExportDeclaration(stmt) && !stmt.moduleSpecifier && stmt.exportClause && ts.isNamedExports(stmt.exportClause)) {
      for (const e of stmt.exportClause.elements) exportedNames.set(e.name.text, (e.propertyName ?? e.name).text)
    }
    if (
      ts.isExportDeclaration(stmt) &&
      stmt.exportClause &&
      ts.isNamedExports(stmt.exportClause) &&
      stmt.exportClause.elements.some((e) => e.name.text === 'default')
    )
      hasDefault = true
    if (!ts.isVariableStatement(stmt)) continue
    const isConst = (stmt.declarationList.flags & ts.NodeFlags.Const) !== 0
    for (const decl of stmt.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || !decl.initializer) continue
      if (isConst) consts.set(decl.name.text, decl.initializer)
      if (exported && decl.name.text === 'config') {
        if (!isConst) refuse(decl, 'config must be declared with `export const`, so the build can read it')
        configInit = decl.initializer
        configDecl = decl
      }
    }
  }
  const local = exportedNames.get('config')
  if (!configInit && local !== undefined) {
    configInit = consts.get(local)
    if (!configInit)
      refuse(source, `'config' is exported but '${local}' is not a top-level const of this file`, 'write `export const config = { ... }`')
  }
  const places = new Map<string, ConfigPlace>()
  if (!configInit) return { places, hasDefault }

  const evaluating = new Set<string>()
  const evaluate = (node: ts.Expression, path: string): unknown => {
    while (
      ts.isAsExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      ts.isParenthesizedExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isTypeAssertionExpression(node)
    )
      node = node.expression
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
    if (ts.isNumericLiteral(node)) return Number(node.text.replace(/_/g, ''))
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false
    if (node.kind === ts.SyntaxKind.NullKeyword) return null
    if (ts.isTemplateExpression(node)) {
      let text = node.head.text
      for (const span of node.templateSpans) text += String(evaluate(span.expression, path)) + span.literal.text
      return text
    }
    if (ts.isPrefixUnaryExpression(node)) {
      const v = evaluate(node.operand, path)
      if (typeof v === 'number' && node.operator === ts.SyntaxKind.MinusToken) return -v
      if (typeof v === 'number' && node.operator === ts.SyntaxKind.PlusToken) return v
    }
    if (ts.isBinaryExpression(node)) {
      const a = evaluate(node.left, path)
      const b = evaluate(node.right, path)
      const op = node.operatorToken.kind
      if (
        op === ts.SyntaxKind.PlusToken &&
        (typeof a === 'string' || typeof b === 'string') &&
        ['string', 'number'].includes(typeof a) &&
        ['string', 'number'].includes(typeof b)
      )
        return String(a) + String(b)
      if (typeof a === 'number' && typeof b === 'number') {
        switch (op) {
          case ts.SyntaxKind.PlusToken:
            return a + b
          case ts.SyntaxKind.MinusToken:
            return a - b
          case ts.SyntaxKind.AsteriskToken:
            return a * b
          case ts.SyntaxKind.SlashToken:
            return a / b
          case ts.SyntaxKind.PercentToken:
            return a % b
          case ts.SyntaxKind.AsteriskAsteriskToken:
            return a ** b
        }
      }
    }
    if (ts.isIdentifier(node)) {
      const init = consts.get(node.text)
      if (init && !evaluating.has(node.text)) {
        evaluating.add(node.text)
        try {
          return evaluate(init, path)
        } finally {
          evaluating.delete(node.text)
        }
      }
      if (node.text === 'undefined') return undefined
    }
    if (ts.isArrayLiteralExpression(node)) {
      return node.elements.map((e, i) => {
        if (ts.isSpreadElement(e))
          return refuse(e, `${describe(path)}: the build cannot evaluate a spread here`, 'list the values literally')
        places.set(`${path}.${i}`, place(e))
        return evaluate(e, `${path}.${i}`)
      })
    }
    if (ts.isObjectLiteralExpression(node)) {
      const out: Record<string, unknown> = {}
      for (const prop of node.properties) {
        const name =
          prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name) || ts.isNumericLiteral(prop.name))
            ? prop.name.text
            : undefined
        if (name === undefined)
          return refuse(prop, `${describe(path)}: the build cannot evaluate a computed or spread key`, 'write each key literally')
        const keyPath = path ? `${path}.${name}` : name
        places.set(keyPath, place(prop))
        if (ts.isPropertyAssignment(prop)) out[name] = evaluate(prop.initializer, keyPath)
        else if (ts.isShorthandPropertyAssignment(prop)) out[name] = evaluate(prop.name, keyPath)
        else return refuse(prop, `${describe(keyPath)} must be a value, not a method or accessor`)
      }
      return out
    }
    return refuse(
      node,
      `${describe(path)}: the build cannot evaluate \`${shorten(node.getText(source))}\``,
      'config is read at build time without running the file: use literals, arithmetic, or top-level consts of this file (not calls, imports or process.env)',
    )
  }

  places.set('', place(configDecl ?? configInit))
  const values = evaluate(configInit, '')
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    refuse(configInit, "config must be an object literal, e.g. `export const config = { memory: '32Mi' }`")
  }
  return { values: values as Record<string, unknown>, places, hasDefault }
}

function describe(path: string): string {
  return path ? `config.${path}` : 'config'
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ')
  return one.length > 40 ? `${one.slice(0, 37)}...` : one
}

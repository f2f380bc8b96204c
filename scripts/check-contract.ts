// Reads a function file's exports without running it: is there a default export,
// and does `export const config` use only known keys? Errors carry file:line:col.
import { readFileSync } from 'node:fs'
import ts from 'typescript'
import { configKeys, normalizeRoute } from '../runtime/shim/contract.ts'

export interface ContractInfo {
  /** config.route when it is a string literal. */
  route?: string
  /** The literal config object, where every value is a literal (used for budget, env, resources). */
  config: Record<string, unknown>
}

export class ContractError extends Error {}

export function checkContract(options: { file: string; relFile: string }): ContractInfo {
  const text = readFileSync(options.file, 'utf8')
  const source = ts.createSourceFile(options.file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  const at = (node: ts.Node, msg: string) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source))
    return new ContractError(`${options.relFile}:${line + 1}:${character + 1}: error: ${msg}`)
  }
  let hasDefault = false
  const info: ContractInfo = { config: {} }
  for (const stmt of source.statements) {
    if (ts.isExportAssignment(stmt) && !stmt.isExportEquals) hasDefault = true
    if (ts.isExportDeclaration(stmt) && stmt.exportClause && ts.isNamedExports(stmt.exportClause)) {
      if (stmt.exportClause.elements.some((e) => e.name.text === 'default')) hasDefault = true
    }
    const mods = ts.canHaveModifiers(stmt) ? ts.getModifiers(stmt) ?? [] : []
    const exported = mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    if (exported && mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) hasDefault = true
    if (!exported || !ts.isVariableStatement(stmt)) continue
    for (const decl of stmt.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || decl.name.text !== 'config' || !decl.initializer) continue
      let init: ts.Expression = decl.initializer
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression
      if (!ts.isObjectLiteralExpression(init)) throw at(decl, 'config must be an object literal so the build can read it')
      for (const prop of init.properties) {
        const name = prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) ? prop.name.text : undefined
        if (!name || !(configKeys as readonly string[]).includes(name)) {
          throw at(prop, `unknown config key ${name ? `'${name}'` : '(computed)'}; allowed keys: ${configKeys.join(', ')}`)
        }
        const value = ts.isPropertyAssignment(prop) ? literalValue(prop.initializer) : undefined
        if (value !== undefined) info.config[name] = value
        if (name === 'route') {
          if (typeof value !== 'string') throw at(prop, "config.route must be a string literal such as '/accounts'")
          try { normalizeRoute(value) } catch (err) { throw at(prop, (err as Error).message) }
          info.route = value
        }
      }
    }
  }
  if (!hasDefault) {
    throw new ContractError(`${options.relFile}:1:1: error: no default export; end the file with \`export default app\` (a Hono app or an object with fetch)`)
  }
  return info
}

function literalValue(node: ts.Expression): unknown {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
  if (ts.isNumericLiteral(node)) return Number(node.text)
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false
  if (ts.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {}
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return undefined
      const v = literalValue(p.initializer)
      if (v === undefined) return undefined
      out[p.name.text] = v
    }
    return out
  }
  return undefined
}

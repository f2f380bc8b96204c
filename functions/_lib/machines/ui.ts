// GET /machines/ui: one server-rendered page, no scripts. hono/html escapes every
// interpolated value, so a machine's name or tags cannot inject markup.
import { html } from 'hono/html'
import type { Machine } from './machine.ts'
import type { Page } from './store.ts'

const style = html`<style>
  body {
    font:
      15px/1.4 system-ui,
      sans-serif;
    margin: 2rem;
    color: #222;
  }
  table {
    border-collapse: collapse;
  }
  th,
  td {
    padding: 0.3rem 0.8rem;
    border-bottom: 1px solid #ddd;
    text-align: left;
  }
  td.n {
    text-align: right;
  }
  code {
    font-size: 13px;
    color: #555;
  }
</style>`

export function machinesPage(page: Page, storeKind: string) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Machines</title>
        ${style}
      </head>
      <body>
        <h1>Machines</h1>
        <p>${page.items.length} shown · store: ${storeKind}</p>
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>OS</th>
              <th>CPUs</th>
              <th>Memory</th>
              <th>Disk</th>
              <th>Tags</th>
              <th>Id</th>
            </tr>
          </thead>
          <tbody>
            ${page.items.map(row)}
          </tbody>
        </table>
        ${page.next ? html`<p><a href="?cursor=${page.next}">Next page</a></p>` : ''}
      </body>
    </html>`
}

export function unavailablePage(message: string) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Machines: store unavailable</title>
        ${style}
      </head>
      <body>
        <h1>Machines</h1>
        <p>The machine store is unavailable: ${message}</p>
        <p>Try again in a few seconds.</p>
      </body>
    </html>`
}

function row(m: Machine) {
  const disk = m.disk === undefined ? '' : `${m.disk} GiB`
  return html`<tr>
    <td>${m.name}</td>
    <td>${m.os}</td>
    <td class="n">${m.cpus}</td>
    <td class="n">${mib(m.memory)}</td>
    <td class="n">${disk}</td>
    <td>${m.tags.join(', ')}</td>
    <td><code>${m.id}</code></td>
  </tr>`
}

function mib(n: number): string {
  return n % 1024 === 0 ? `${n / 1024} GiB` : `${n} MiB`
}

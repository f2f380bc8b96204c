// Quotes: GET /quotes/random answers a quote and the instance that served it, so a
// caller (accounts) can show which replica answered. GET /quotes lists them all.
import { Hono } from 'hono'

const quotes = [
  { text: 'Simplicity is prerequisite for reliability.', author: 'Edsger W. Dijkstra' },
  { text: 'The most important property of a program is whether it accomplishes the intention of its user.', author: 'C. A. R. Hoare' },
  { text: 'Premature optimization is the root of all evil.', author: 'Donald Knuth' },
  { text: 'Make it work, make it right, make it fast.', author: 'Kent Beck' },
  { text: 'Well begun is half done.', author: 'Aristotle' },
  { text: 'Measure twice, cut once.', author: 'Proverb' },
  { text: 'Brevity is the soul of wit.', author: 'William Shakespeare' },
  { text: 'Nothing is particularly hard if you divide it into small jobs.', author: 'Henry Ford' },
]

// HOSTNAME is the pod name under Kubernetes and the container id under podman;
// elsewhere (tests, npm run dev) a random name picked at start tells instances apart.
const env = process.env
const instance = env.QUOTES_INSTANCE || env.HOSTNAME || `quotes-${crypto.randomUUID().slice(0, 8)}`

const app = new Hono()

app.get('/', (c) => c.json({ count: quotes.length, items: quotes, instance }))
app.get('/random', (c) => c.json({ ...quotes[Math.floor(Math.random() * quotes.length)], instance }))

export default app
export const config = { memory: '16Mi' }

// The smallest function: answers GET /hello and GET /hello/:name.
import { Hono } from 'hono'

const app = new Hono()

app.get('/', (c) => c.text('Hello from scratchfn!\n'))
app.get('/:name', (c) => c.json({ message: `Hello, ${c.req.param('name')}!` }))

export default app

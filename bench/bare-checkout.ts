// The checkout bench's baseline: the least an Express server can do for the buyer path — the link
// page is one read and a form; Pay is one read, one insert, one KOMOJU session request and a 303.
// No holds, limits, codes, rate limits or templates: what is left is the wire work the product
// cannot avoid, so the product's figures are read as a ratio to these.
// Env: PORT, KOMOJU_API_BASE_URL, KOMOJU_SECRET_KEY, and DATABASE_URL (PostgreSQL) or DATA_DIR (PGlite).
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import express from 'express';
import pg from 'pg';

interface Query {
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
}

async function openDatabase(): Promise<Query> {
  if (process.env.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    return { query: async <Row>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as Row[] };
  }
  const db = await PGlite.create(process.env.DATA_DIR);
  return { query: async <Row>(text: string, params?: unknown[]) => (await db.query<Row>(text, params)).rows };
}

const db = await openDatabase();
await db.query('CREATE TABLE IF NOT EXISTS bare_link (slug text PRIMARY KEY, name text NOT NULL, amount int NOT NULL, currency text NOT NULL)');
await db.query('CREATE TABLE IF NOT EXISTS bare_checkout (id text PRIMARY KEY, slug text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');
await db.query(`INSERT INTO bare_link VALUES ('bare', 'Tea', 1500, 'JPY') ON CONFLICT DO NOTHING`);

const komojuAuth = `Basic ${Buffer.from(`${process.env.KOMOJU_SECRET_KEY}:`).toString('base64')}`;
const app = express();
app.set('trust proxy', 'loopback');

interface BareLink {
  slug: string;
  name: string;
  amount: number;
  currency: string;
}

app.get('/l/:slug', async (req, res) => {
  const [link] = await db.query<BareLink>('SELECT * FROM bare_link WHERE slug = $1', [req.params.slug]);
  if (!link) return res.status(404).send('not found');
  res
    .type('html')
    .send(`<!doctype html><title>${link.name}</title><form method="post" action="/l/${link.slug}/checkout"><input type="hidden" name="quantity" value="1"><button>Pay ¥${link.amount}</button></form>`);
});

app.post('/l/:slug/checkout', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
  const [link] = await db.query<BareLink>('SELECT * FROM bare_link WHERE slug = $1', [req.params.slug]);
  if (!link) return res.status(404).send('not found');
  const id = randomUUID();
  await db.query('INSERT INTO bare_checkout (id, slug) VALUES ($1, $2)', [id, link.slug]);
  const response = await fetch(`${process.env.KOMOJU_API_BASE_URL}/api/v1/sessions`, {
    method: 'POST',
    headers: { authorization: komojuAuth, 'content-type': 'application/json', 'x-komoju-idempotency': id },
    body: JSON.stringify({ amount: link.amount, currency: link.currency, return_url: `http://127.0.0.1/l/${link.slug}/return`, metadata: { checkoutId: id } }),
  });
  if (!response.ok) return res.status(502).send('provider refused');
  const session = (await response.json()) as { session_url: string };
  res.redirect(303, session.session_url);
});

app.listen(Number(process.env.PORT), '127.0.0.1');

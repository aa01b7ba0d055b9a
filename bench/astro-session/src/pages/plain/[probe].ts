// `GET /plain/_inspect`: the bench's read of F0's one counter (bench/sessions.ts).
import type { APIRoute } from 'astro';
import { plainCount } from '../../plain-count.ts';

export const prerender = false;

export const GET: APIRoute = ({ params }) =>
  params.probe === '_inspect'
    ? Response.json({ pageViews: plainCount() })
    : new Response('Not found', { status: 404 });

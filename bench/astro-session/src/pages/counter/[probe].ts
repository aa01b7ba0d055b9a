// `GET /counter/_inspect`: the bench's read-only look at this client's counter (bench/sessions.ts).
// A route parameter because Astro does not route files whose names start with `_`.
import type { APIRoute } from 'astro';

export const prerender = false;

export const GET: APIRoute = async ({ params, session }) => {
  if (params.probe !== '_inspect') return new Response('Not found', { status: 404 });
  return Response.json({ pageViews: (await session?.get('pageViews')) ?? null });
};

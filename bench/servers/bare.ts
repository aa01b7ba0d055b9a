// A. The ceiling: node:http with one counter for everyone, no session at all.
import { counterPage } from '../page.ts';
import type { CreateServer } from './types.ts';

export const create: CreateServer = async () => {
  let count = 0;
  return {
    listener(req, res) {
      if (req.url === '/_inspect') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ pageViews: count }));
        return;
      }
      count++;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(counterPage(count));
    },
    async close() {},
  };
};

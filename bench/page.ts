// The one page every server in the bench returns, so they all do the same work per request: read the
// count, add one, answer with ~240 bytes of HTML (the workload in shared/reference/peer-benchmarks.md).

export function counterPage(count: number): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Page-view counter</title></head>
<body>
<h1>Hello, you have been here <output id="count">${count}</output> time${count === 1 ? '' : 's'}</h1>
<p><a href="/">Count again</a></p>
</body>
</html>
`;
}

// The offline shell of the inspector app (PWA): the app's files are cached as they are fetched, so that
// after one visit online the app opens without a network. Hashed assets never change: cache first. The
// page itself: network first, the cached copy when offline. The API is never cached; reports made
// offline wait in the app's own outbox (IndexedDB) and are sent when the network is back.
const CACHE = 'cityops-shell-v2';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(['/', '/manifest.webmanifest', '/icon.svg'])).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // The reference data a report form needs (what can be reported, the districts' outline): network first,
  // the last copy offline. Nothing else of the API is cached.
  if (url.pathname === '/api/public/services' || url.pathname === '/api/public/territory') {
    event.respondWith(fetch(request).then((response) => {
      const copy = response.clone();
      if (response.ok) caches.open(CACHE).then((cache) => cache.put(request, copy));
      return response;
    }).catch(() => caches.match(request).then((hit) => hit || Response.error())));
    return;
  }
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/open311/')) return;
  if (url.pathname.startsWith('/assets/')) {
    // The answer waits until its copy is stored: a page that has shown itself online then opens offline,
    // with no race between the copy and the network going away (a chunk's stylesheet was once missing).
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      if (!response.ok) return response;
      const copy = response.clone();
      return caches.open(CACHE).then((cache) => cache.put(request, copy)).then(() => response, () => response);
    })));
    return;
  }
  if (request.mode === 'navigate' || url.pathname === '/') {
    event.respondWith(fetch(request).then((response) => {
      const copy = response.clone();
      if (response.ok) caches.open(CACHE).then((cache) => cache.put('/', copy));
      return response;
    }).catch(() => caches.match('/')));
  }
});

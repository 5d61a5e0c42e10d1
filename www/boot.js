// Loads the playground and says so on the page when it cannot (package not built or copied).
import('./app.js').catch((error) => {
  const status = document.getElementById('status');
  status.textContent = `The playground could not start: ${error.message}. Serve it with "node www/serve.mjs" after ./scripts/build.sh.`;
  status.classList.add('failed');
  document.documentElement.dataset.ready = 'failed';
});

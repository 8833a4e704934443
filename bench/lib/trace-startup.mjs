// Preload for finding where hawser's startup goes, without touching its code:
//   node --import ./bench/lib/trace-startup.mjs dist/cli.js --host unix://…
// writes a timeline to $HAWSER_TRACE (ms since the process started): engine requests (start, headers,
// end, bytes) and terminal writes (size), then exits the trace after $HAWSER_TRACE_MS (default 8000).
import {appendFileSync, writeFileSync} from 'node:fs';
import http from 'node:http';

const file = process.env.HAWSER_TRACE ?? '/tmp/hawser-trace.txt';
const stopAt = Number(process.env.HAWSER_TRACE_MS ?? 8000);
const since = () => performance.now().toFixed(1).padStart(8);
let isOn = true;
writeFileSync(file, `${since()} preload (node booted)\n`);
const note = line => isOn && appendFileSync(file, `${since()} ${line}\n`);
setTimeout(() => {
  isOn = false;
}, stopAt).unref();

const originalRequest = http.request;
http.request = function tracedRequest(...args) {
  const options = typeof args[0] === 'object' && !(args[0] instanceof URL) ? args[0] : args[1] ?? {};
  const label = `${options.method ?? 'GET'} ${String(options.path ?? '').slice(0, 80)}`;
  note(`request  ${label}`);
  const request = originalRequest.apply(this, args);
  request.on('response', response => {
    note(`headers  ${label} ${response.statusCode}`);
    let bytes = 0;
    response.on('data', chunk => {
      bytes += chunk.length;
    });
    response.on('end', () => note(`end      ${label} ${bytes} bytes`));
  });
  return request;
};

const originalWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  note(`stdout   ${chunk.length} chars`);
  return originalWrite(chunk, ...rest);
};

process.on('exit', () => note('exit'));

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadSettings } from '../../src/config/settings.js';

const run = promisify(execFile);

/** A headless Chromium for playwright-core to drive, and where it came from. */
export interface Chromium {
  readonly executablePath: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly from: string;
}

const COMMON_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const INSTALLED = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const HOW_TO_GET_ONE = 'run `npm ci` (it installs @sparticuz/chromium, a Chromium shipped as an npm package), or install Chromium or Chrome, or set LGSP_CHROMIUM to a browser\'s path';

/**
 * The browser for the report test, looked up in this order: LGSP_CHROMIUM (a path, or `npm` for the
 * npm-shipped one), a Chromium or Chrome on the PATH (or in /usr/bin), then @sparticuz/chromium
 * unpacked once into LGSP_HOME. None found is an error saying how to get one: the test never skips.
 */
export async function findChromium(): Promise<Chromium> {
  const named = process.env['LGSP_CHROMIUM'];
  if (named !== undefined && named !== '' && named !== 'npm') {
    if (!existsSync(named)) throw new Error(`LGSP_CHROMIUM=${named}: no such file; ${HOW_TO_GET_ONE}`);
    return { executablePath: named, args: COMMON_ARGS, env: {}, from: 'LGSP_CHROMIUM' };
  }
  if (named !== 'npm') {
    const installed = installedBrowser();
    if (installed !== undefined) return { executablePath: installed, args: COMMON_ARGS, env: {}, from: 'installed' };
  }
  return npmChromium();
}

function installedBrowser(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter).filter((d) => d !== ''), '/usr/bin'];
  for (const name of INSTALLED) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * @sparticuz/chromium ships Chromium brotli-packed and unpacks it into `os.tmpdir()`; a child process
 * with TMPDIR set to a folder per version does that once (not in the test's own process, whose tmpdir
 * other code uses), and a fonts.conf of ours points fontconfig at its fonts.
 */
async function npmChromium(): Promise<Chromium> {
  const require = createRequire(import.meta.url);
  let version: string;
  try {
    version = (JSON.parse(await readFile(path.join(path.dirname(require.resolve('@sparticuz/chromium')), '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    throw new Error(`no Chromium found (none named by LGSP_CHROMIUM, none installed, and @sparticuz/chromium is not installed); ${HOW_TO_GET_ONE}`);
  }
  const dir = path.join(loadSettings().LGSP_HOME, 'chromium', version);
  const executablePath = path.join(dir, 'chromium');
  if (!existsSync(executablePath)) await unpack(dir);
  const fontsConf = path.join(dir, 'lgsp-fonts.conf');
  await writeFile(fontsConf, fontConfig(dir));
  return {
    executablePath,
    // Its own flags minus the serverless ones we do not want (single-process is what it needs without a sandbox helper).
    args: [...COMMON_ARGS, '--no-zygote', '--single-process'],
    env: { FONTCONFIG_FILE: fontsConf },
    from: `@sparticuz/chromium ${version}`,
  };
}

async function unpack(dir: string): Promise<void> {
  const partial = `${dir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const script = "import('@sparticuz/chromium').then((m) => m.default.executablePath()).then((p) => process.stdout.write(p))";
  await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TMPDIR: partial }, cwd: process.cwd() });
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
}

/** Its Open Sans, then the machine's fonts if it has any; the cache inside the folder. */
function fontConfig(dir: string): string {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    `  <dir>${path.join(dir, 'fonts', 'fonts')}</dir>`,
    '  <dir>/usr/share/fonts</dir>',
    `  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

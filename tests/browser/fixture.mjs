// The corpus the browser tests search, and the `integra serve` they click through: the seed
// corpus, a PDF with page labels (i, 1, 2) and small reports with sidecars, so that every facet
// has several values and a search has more than one page of hits.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BINARY = process.env.INTEGRA_BIN ?? path.join(ROOT, 'target', 'debug', 'integra');
export const PDF_FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'pdf');

/** The PDF with page labels, stored in the corpus under this name. */
export const LABELLED_PDF = 'arbeitsmarkt.pdf';

/** Small reports: title, authors, institutions, year, type, text. Each says "Integration". */
const REPORTS = [
  ['Kitaplätze für geflüchtete Kinder', ['Frank Gesemann'], ['Bertelsmann Stiftung'], 2016,
    'Studie', 'Die Kommunen schaffen Kitaplätze; Integration beginnt in der Kita.'],
  ['Sprachkurse in ländlichen Kommunen', ['Anna Müller', 'Roland Roth'], ['Deutscher Landkreistag'],
    2017, 'Bericht', 'Integration auf dem Land braucht Sprachkurse und Busse zu den Kursorten.'],
  ['Ehrenamt und Integration', ['Serhat Yıldız'], ['Caritas'], 2018, 'Arbeitspapier',
    'Ehrenamtliche Paten begleiten die Integration von Familien in den Kommunen.'],
  ['Wohnen nach der Gemeinschaftsunterkunft', ['Roland Roth'], ['Deutsches Institut für Urbanistik'],
    2019, 'Studie', 'Dezentrale Wohnungen erleichtern die Integration; Kommunen mieten Wohnraum an.'],
  ['Schule und Integration', ['Maria Schmidt'], ['Mercator-Institut'], 2019, 'Expertise',
    'Willkommensklassen sind ein erster Schritt der Integration in die Regelschule.'],
  ['Integration in den Arbeitsmarkt vor Ort', ['Frank Gesemann', 'Maria Schmidt'],
    ['Bertelsmann Stiftung'], 2020, 'Studie',
    'Jobcenter und Kommunen arbeiten bei der Integration in Arbeit zusammen.'],
  ['Gesundheit Geflüchteter', ['Jamil Alyou'], ['Caritas'], 2021, 'Bericht',
    'Die Gesundheitskarte erleichtert die Integration in das Gesundheitswesen der Kommunen.'],
  ['Integrationsmonitoring der Länder', [], ['Deutscher Landkreistag'], 2022, 'Bericht',
    'Kennzahlen zur Integration zeigen, wo Kommunen nachsteuern.'],
];

/** A TOML string. */
const toml = (value) => JSON.stringify(value);

/** Copies the seed corpus, the PDF and the reports into DIR/corpus. */
function writeCorpus(corpus) {
  fs.mkdirSync(corpus, { recursive: true });
  for (const name of fs.readdirSync(path.join(ROOT, 'corpus'))) {
    if (!name.startsWith('README')) {
      fs.copyFileSync(path.join(ROOT, 'corpus', name), path.join(corpus, name));
    }
  }
  fs.copyFileSync(path.join(PDF_FIXTURES, 'tex.pdf'), path.join(corpus, LABELLED_PDF));
  fs.writeFileSync(
    path.join(corpus, LABELLED_PDF.replace(/\.pdf$/, '.toml')),
    'institutions = ["Bundesamt für Migration und Flüchtlinge"]\nyear = 2024\ntype = "Zwischenbericht"\n',
  );
  REPORTS.forEach(([title, authors, institutions, year, type, text], i) => {
    const base = path.join(corpus, `bericht-${i + 1}`);
    fs.writeFileSync(`${base}.txt`, `${title}\n\n${text}\n`);
    fs.writeFileSync(
      `${base}.toml`,
      `title = ${toml(title)}\nauthors = [${authors.map(toml).join(', ')}]\n` +
        `institutions = [${institutions.map(toml).join(', ')}]\nyear = ${year}\ntype = ${toml(type)}\n`,
    );
  });
}

/**
 * Starts `integra serve` on a fresh copy of the corpus and a free port, and waits for the line
 * with its URL. Returns { url, dir, stop }.
 */
export async function startServer() {
  if (!fs.existsSync(BINARY)) {
    throw new Error(`${BINARY} is missing: build it first (cargo build --bin integra)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integra-browser-'));
  const corpus = path.join(dir, 'corpus');
  writeCorpus(corpus);
  const child = spawn(
    BINARY,
    ['serve', '--index', path.join(dir, 'index'), '--corpus', corpus, '--port', '0'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`integra serve printed no URL in 120 s; stderr:\n${stderr}`)),
      120_000,
    );
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const found = /^integra serve: (http:\/\/\S+)$/.exec(line);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`integra serve ended with ${code} before listening; stderr:\n${stderr}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const ended = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await ended;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { url, dir, corpus, stop, stderr: () => stderr };
}

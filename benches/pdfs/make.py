#!/usr/bin/env python3
"""Makes the folder of PDFs that `cargo bench --bench pdf_pages` reads: reports of 15 to 65
pages set from real German text (the Bundestag speeches of ../shared/bench), half by pdfTeX and
half by LibreOffice Writer, each with a running header and a page number in the footer, as the
studies and Drucksachen of the field have.

    python3 benches/pdfs/make.py [--out target/bench-pdfs] [--count 12]

Needs the Debian packages texlive-latex-base, texlive-lang-german, lmodern,
libreoffice-writer-nogui and fonts-dejavu-core (installed by nothing: a benchmark, not a test).
The PDFs are not committed (several megabytes); this script makes the same text each time.
"""
import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SPEECHES = os.path.join(ROOT, "..", "shared", "bench", "bundestag-reden.jsonl.gz")
# About 2,600 characters fill a page of either layout; a report takes this many characters.
REPORT_CHARS = 120_000


def reports(count):
    """Yields (number, year, speeches) for `count` reports of consecutive long speeches."""
    report, size, n = [], 0, 0
    with gzip.open(SPEECHES, "rt", encoding="utf-8") as lines:
        for line in lines:
            speech = json.loads(line)
            text = speech.get("text", "")
            if len(text) < 2000:
                continue
            report.append(speech)
            size += len(text)
            if size >= REPORT_CHARS * (1 + n % 3) / 2:
                n += 1
                yield n, speech.get("year"), report
                if n == count:
                    return
                report, size = [], 0


TEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
               "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}"}


def tex_escape(text):
    return "".join(TEX_SPECIAL.get(c, c) for c in text)


def tex(n, year, speeches):
    body = []
    for speech in speeches:
        body.append(r"\section*{%s}" % tex_escape(speech["title"]))
        for para in speech["text"].split("\n"):
            if para.strip():
                body.append(tex_escape(para.strip()) + "\n")
    return r"""\documentclass[a4paper,11pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage[ngerman]{babel}
\usepackage{lmodern}
\usepackage[margin=25mm]{geometry}
\makeatletter
\def\@oddhead{\small Plenarprotokolle des Deutschen Bundestages -- Sammlung %(n)d (%(year)s)\hfil}
\def\@oddfoot{\small Wissenschaftliche Dienste\hfil Seite \thepage}
\def\@evenhead{\@oddhead}\def\@evenfoot{\@oddfoot}
\makeatother
\begin{document}
%(body)s
\end{document}
""" % {"n": n, "year": year, "body": "\n".join(body)}


def fodt(n, year, speeches):
    with open(os.path.join(ROOT, "tests", "fixtures", "pdf", "src", "libreoffice.fodt"),
              encoding="utf-8") as f:
        template = f.read()
    head = template[: template.index("<office:body>")]
    head = head.replace("Integration von Geflüchteten – Zwischenbericht 2024",
                        "Plenarprotokolle des Deutschen Bundestages – Sammlung %d (%s)" % (n, year))
    head = head.replace("Bundesamt für Migration", "Wissenschaftliche Dienste")
    head = head.replace("14.8cm", "21cm").replace('fo:page-height="21cm"', 'fo:page-height="29.7cm"')
    body = []
    for speech in speeches:
        body.append('<text:p text:style-name="H">%s</text:p>' % escape(speech["title"]))
        for para in speech["text"].split("\n"):
            if para.strip():
                body.append('<text:p text:style-name="P">%s</text:p>' % escape(para.strip()))
    return head + "<office:body><office:text>\n" + "\n".join(body) + \
        "\n</office:text></office:body></office:document>\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "target", "bench-pdfs"))
    parser.add_argument("--count", type=int, default=12)
    args = parser.parse_args()
    if not os.path.exists(SPEECHES):
        sys.exit("make.py: %s is missing" % SPEECHES)
    os.makedirs(args.out, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", FORCE_SOURCE_DATE="1")
    with tempfile.TemporaryDirectory() as tmp:
        for n, year, speeches in reports(args.count):
            name = "sammlung-%02d" % n
            if n % 2:
                path = os.path.join(tmp, name + ".tex")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(tex(n, year, speeches))
                subprocess.run(["pdflatex", "-interaction=batchmode", name + ".tex"], cwd=tmp,
                               env=env, stdout=subprocess.DEVNULL, check=False)
            else:
                path = os.path.join(tmp, name + ".fodt")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(fodt(n, year, speeches))
                subprocess.run(["soffice", "--headless",
                                "-env:UserInstallation=file://%s/lo" % tmp,
                                "--convert-to", "pdf", "--outdir", tmp, path],
                               env=env, stdout=subprocess.DEVNULL, check=True)
            shutil.copy(os.path.join(tmp, name + ".pdf"), os.path.join(args.out, name + ".pdf"))
            print(os.path.join(args.out, name + ".pdf"))


if __name__ == "__main__":
    main()

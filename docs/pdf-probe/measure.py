#!/usr/bin/env python3
"""Runs every extractor on every fixture (each in its own process, 20 s and 2 GiB limits) and
pdftotext per page as the reference; prints a Markdown table."""
import os, re, subprocess, sys, time, unicodedata, collections, glob
FIX = sys.argv[1]
OUT = "/tmp/probe/out"
EXS = ["pdf-extract", "lopdf", "pdf_oxide", "oxidize-pdf"]
WORD = re.compile(r"[^\W\d_]+")
LIG = re.compile("[\ufb00-\ufb06]")

def pages_of(d):
    fs = sorted(glob.glob(f"{d}/*.txt"), key=lambda f: int(os.path.basename(f)[:-4]))
    return [open(f, encoding="utf-8", errors="replace").read() for f in fs]

def norm(t):
    # What integra would do anyway: NFKC (ligatures), soft hyphens out, join "Wort-\nteil".
    t = unicodedata.normalize("NFKC", t).replace("\u00ad\n", "").replace("\u00ad", "")
    return re.sub(r"(\w)-[ \t]*\r?\n\s*(?=[a-zäöüß])", r"\1", t)

def words(t): return collections.Counter(WORD.findall(t))

def recall(ref, got):
    n = sum(ref.values())
    return sum(min(c, got[w]) for w, c in ref.items()) / n if n else float("nan")

def pdftotext(f, mode):
    d = f"{OUT}/pdftotext{mode}/{os.path.basename(f)}"
    os.makedirs(d, exist_ok=True)
    for old in glob.glob(f"{d}/*.txt"): os.remove(old)
    info = subprocess.run(["pdfinfo", f], capture_output=True, text=True)
    m = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    if not m:
        return "error", 0, 0.0, (info.stderr.strip().splitlines() or [""])[-1]
    t0 = time.perf_counter()
    for n in range(1, int(m.group(1)) + 1):
        r = subprocess.run(["pdftotext", *([mode] if mode else []), "-f", str(n), "-l", str(n), f, f"{d}/{n}.txt"], capture_output=True, text=True)
        if r.returncode: return "error", 0, 0.0, r.stderr.strip()
    ms = (time.perf_counter() - t0) * 1000
    return "ok", int(m.group(1)), ms, ""

rows = []
for f in sorted(glob.glob(f"{FIX}/*.pdf")):
    name = os.path.basename(f)
    st = {}
    st["pdftotext"] = pdftotext(f, "")
    st["pdftotext -layout"] = pdftotext(f, "-layout")
    for ex in EXS:
        d = f"{OUT}/{ex}/{name}"
        os.makedirs(d, exist_ok=True)
        for old in glob.glob(f"{d}/*.txt"): os.remove(old)
        r = subprocess.run(["bash", "-c", 'ulimit -v 2097152; exec timeout 20 /tmp/probe/target/release/probe "$@"', "_", ex, f, d], capture_output=True, text=True)
        line = r.stdout.strip()
        if r.returncode == 124: st[ex] = ("timeout", 0, 20000.0, "killed after 20 s")
        elif not line: st[ex] = (f"crash rc={r.returncode}", 0, 0.0, r.stderr.strip()[-120:])
        else:
            s, p, ms, msg = line.split("\t", 3)
            st[ex] = (s, int(p), float(ms), msg)
    ref_pages = pages_of(f"{OUT}/pdftotext/{name}")
    ref_raw = words("\n".join(ref_pages)); ref_n = words(norm("\n".join(ref_pages)))
    for ex, (s, p, ms, msg) in st.items():
        d = f"{OUT}/{'pdftotext' if ex == 'pdftotext' else ('pdftotext-layout' if ex == 'pdftotext -layout' else ex)}/{name}"
        pg = pages_of(d)
        text = "\n".join(pg)
        w_raw = words(text); w_n = words(norm(text))
        nwords = sum(w_raw.values())
        rr = recall(ref_raw, w_raw) if ref_raw else float("nan")
        rn = recall(ref_n, w_n) if ref_n else float("nan")
        extra = sum((w_n - ref_n).values()) if ref_n else nwords
        uml = len(re.findall("[äöüÄÖÜß]", text))
        lig = len(LIG.findall(text))
        fi = sum(w_n[w] for w in ["Einfluss", "finanziert", "verpflichtend", "offiziell", "qualifizierte", "Pflegefachkräfte", "flächendeckend"])
        hdr = text.count("Zwischenbericht") + text.count("Kurzbericht")
        ftr = text.count("Bundesamt")
        hy = "; ".join(sorted(set(re.findall(r"(?:Sprach|Sprachförde)[-\u00ad]?\s*(?:förderung|rung)|Sprachförderung", text))))[:40]
        runs = ""
        if name == "operators.pdf" and pg:
            t = text
            runs = "joined" if re.search(r"qualifizierteFach|qualifiziertechkr", t) else ("ok" if re.search(r"qualifizierte\s+Fachkr", t) else "missing")
            i = [t.find(k) for k in ("erste Zeile", "zweite Zeile", "dritte Zeile")]
            runs += ", order " + ("ok" if -1 not in i and i == sorted(i) else ("missing" if -1 in i else "reversed"))
        perpage = f"{ms / p:.1f}" if p else "-"
        rows.append((name, ex, s, p, nwords, rr, rn, extra, uml, lig, fi, hdr, ftr, hy, runs, perpage, msg[:70]))

print("| fixture | extractor | result | pages | words | recall raw | recall norm | extra words | äöüß | U+FB0x | fi/fl words | header | footer | hyphenated word | ' operator, order | ms/page | message |")
print("|" + "---|" * 17)
for r in rows:
    r = list(r)
    r[5] = "-" if r[5] != r[5] else f"{r[5]*100:.1f}%"
    r[6] = "-" if r[6] != r[6] else f"{r[6]*100:.1f}%"
    print("| " + " | ".join(str(x).replace("|", "/").replace("\n", "⏎") for x in r) + " |")

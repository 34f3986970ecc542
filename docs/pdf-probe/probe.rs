//! probe EXTRACTOR FILE OUTDIR: writes OUTDIR/<page>.txt per page and prints one status line:
//! status<TAB>pages<TAB>ms<TAB>message
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

fn run(ex: &str, bytes: &[u8], path: &str) -> Result<Vec<String>, String> {
    match ex {
        "pdf-extract" => pdf_extract::extract_text_from_mem_by_pages(bytes).map_err(|e| e.to_string()),
        "lopdf" => {
            let doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
            let mut out = Vec::new();
            for (n, _) in doc.get_pages() {
                out.push(doc.extract_text(&[n]).map_err(|e| format!("page {n}: {e}"))?);
            }
            Ok(out)
        }
        "pdf_oxide" => {
            let doc = pdf_oxide::PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| e.to_string())?;
            let n = doc.page_count().map_err(|e| e.to_string())?;
            let mut out = Vec::new();
            for i in 0..n {
                out.push(doc.extract_text(i).map_err(|e| format!("page {i}: {e}"))?);
            }
            Ok(out)
        }
        "oxidize-pdf" => {
            let doc = oxidize_pdf::parser::PdfDocument::open(path).map_err(|e| e.to_string())?;
            let n = doc.page_count().map_err(|e| e.to_string())?;
            let mut out = Vec::new();
            for i in 0..n {
                out.push(doc.extract_text_from_page(i).map_err(|e| format!("page {i}: {e}"))?.text);
            }
            Ok(out)
        }
        _ => Err(format!("unknown extractor {ex}")),
    }
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (ex, path, outdir) = (&a[1], &a[2], &a[3]);
    let bytes = std::fs::read(path).expect("read fixture");
    std::fs::create_dir_all(outdir).expect("outdir");
    std::panic::set_hook(Box::new(|_| {}));
    let t = Instant::now();
    let r = catch_unwind(AssertUnwindSafe(|| run(ex, &bytes, path)));
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    match r {
        Ok(Ok(pages)) => {
            for (i, p) in pages.iter().enumerate() {
                std::fs::write(format!("{outdir}/{}.txt", i + 1), p).expect("write");
            }
            let chars: usize = pages.iter().map(|p| p.trim().len()).sum();
            println!("ok\t{}\t{ms:.2}\t{chars} bytes of text", pages.len());
        }
        Ok(Err(e)) => println!("error\t0\t{ms:.2}\t{}", e.replace(['\n', '\t'], " ")),
        Err(p) => {
            let m = p.downcast_ref::<String>().cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            println!("panic\t0\t{ms:.2}\t{}", m.replace(['\n', '\t'], " "));
        }
    }
}

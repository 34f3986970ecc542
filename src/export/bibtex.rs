//! BibTeX: one `@techreport{key, …}` entry per hit, UTF-8, for biblatex with Biber and for
//! BibTeX alike.

use std::io::{self, Write};

use super::entry::{Entry, Kind};
use super::names::Name;

/// Writes the entries as BibTeX.
pub(crate) fn write(out: &mut dyn Write, entries: &[Entry]) -> io::Result<()> {
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_entry(out, entry)?;
    }
    Ok(())
}

fn write_entry(out: &mut dyn Write, entry: &Entry) -> io::Result<()> {
    let hit = &entry.hit;
    let kind = match entry.kind {
        Kind::Report => "techreport",
        Kind::Article => "article",
        Kind::Book => "book",
        Kind::Other => "misc",
    };
    writeln!(out, "@{kind}{{{},", entry.key)?;
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !entry.authors.is_empty() {
        let authors: Vec<String> = entry.authors.iter().map(author).collect();
        fields.push(("author", authors.join(" and ")));
    }
    if let Some(title) = &hit.title {
        // In braces once more, so that styles keep the capitals of German nouns.
        fields.push(("title", format!("{{{}}}", escape(title))));
    }
    if !hit.institutions.is_empty() {
        // biblatex reads these fields as lists of names: each in braces, joined by "and".
        let institutions: Vec<String> = hit
            .institutions
            .iter()
            .map(|institution| format!("{{{}}}", escape(institution)))
            .collect();
        let field = match entry.kind {
            Kind::Report => "institution",
            Kind::Book => "publisher",
            Kind::Article | Kind::Other => "organization",
        };
        fields.push((field, institutions.join(" and ")));
    }
    if let Some(year) = hit.year {
        fields.push(("year", year.to_string()));
    }
    if let Some(doc_type) = &hit.doc_type {
        fields.push(("type", escape(doc_type)));
    }
    if is_url(&hit.path) {
        fields.push(("url", verbatim(&hit.path)));
    } else if !hit.path.is_empty() {
        fields.push(("file", verbatim(&hit.path)));
    }
    if let Some(note) = entry.page_note() {
        fields.push(("note", escape(&note)));
    }
    for (name, value) in fields {
        writeln!(out, "  {name} = {{{value}}},")?;
    }
    writeln!(out, "}}")
}

/// An author: a person inverted (`Gesemann, Frank`), a body in braces of its own so that
/// BibTeX never splits or inverts it (`{Bertelsmann Stiftung}`).
fn author(name: &Name) -> String {
    match name {
        Name::Corporate(name) => format!("{{{}}}", escape(name)),
        Name::Person { .. } => escape(&name.inverted()),
    }
}

/// Whether a path is a web address, which goes in `url` rather than `file`.
pub(crate) fn is_url(path: &str) -> bool {
    path.starts_with("http://") || path.starts_with("https://")
}

/// Escapes the characters that mean something to TeX. Braces become commands, not `\{`:
/// BibTeX counts every brace, escaped or not, and an unbalanced one breaks the whole file.
/// Umlauts and other letters stay as they are, in UTF-8. Line breaks become spaces.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '\\' => out.push_str("\\textbackslash{}"),
                '{' => out.push_str("\\textbraceleft{}"),
                '}' => out.push_str("\\textbraceright{}"),
                '~' => out.push_str("\\textasciitilde{}"),
                '^' => out.push_str("\\textasciicircum{}"),
                '&' | '%' | '$' | '#' | '_' => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
    }
    out
}

/// A path or URL as biblatex's verbatim fields (`url`, `file`) take it: as it is, for TeX
/// does not read them, except braces, which would end the field (percent-encoded as in a URL),
/// and line breaks.
fn verbatim(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::entry::entries;
    use crate::export::test_hit as hit;

    fn bibtex(hits: &[crate::Hit]) -> String {
        let mut out = Vec::new();
        write(&mut out, &entries(hits)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn keeps_corporate_authors_whole() {
        let mut report = hit(
            Some("So gelingt Integration vor Ort!"),
            &["Bertelsmann Stiftung", "Gesemann, Frank"],
            &["Friedrich-Ebert-Stiftung"],
            Some(2017),
        );
        report.doc_type = Some("Gutachten".into());
        let text = bibtex(&[report]);
        assert_eq!(
            text,
            "@techreport{bertelsmann2017integration,\n  \
             author = {{Bertelsmann Stiftung} and Gesemann, Frank},\n  \
             title = {{So gelingt Integration vor Ort!}},\n  \
             institution = {{Friedrich-Ebert-Stiftung}},\n  \
             year = {2017},\n  \
             type = {Gutachten},\n  \
             file = {corpus/doc.txt},\n}\n"
        );
    }

    #[test]
    fn writes_file_paths_verbatim() {
        let mut one = hit(None, &[], &[], None);
        one.path = "/home/anna/corpus/000_c6d1 bericht.pdf".into();
        assert!(bibtex(&[one]).contains("  file = {/home/anna/corpus/000_c6d1 bericht.pdf},\n"),);
    }

    #[test]
    fn escapes_special_characters_and_keeps_umlauts() {
        let cases = [
            (
                "Kosten & Nutzen: 50 % mehr",
                "Kosten \\& Nutzen: 50 \\% mehr",
            ),
            ("a_b #1 $5", "a\\_b \\#1 \\$5"),
            ("{unbalanced", "\\textbraceleft{}unbalanced"),
            (
                "C:\\Pfad ~ ^",
                "C:\\textbackslash{}Pfad \\textasciitilde{} \\textasciicircum{}",
            ),
            (
                "Flüchtlinge in Städten, Großstädten",
                "Flüchtlinge in Städten, Großstädten",
            ),
            ("zwei\nZeilen", "zwei Zeilen"),
        ];
        for (text, escaped) in cases {
            assert_eq!(escape(text), escaped, "{text}");
        }
    }

    #[test]
    fn braces_stay_balanced_in_hostile_titles() {
        let text = bibtex(&[hit(Some("}} @misc{evil, title={x"), &[], &[], None)]);
        let opens = text.matches('{').count();
        let closes = text.matches('}').count();
        assert_eq!(opens, closes, "{text}");
        assert_eq!(text.matches('@').count(), 2, "{text}");
    }

    #[test]
    fn leaves_out_missing_fields() {
        let text = bibtex(&[hit(None, &[], &[], None)]);
        assert_eq!(text, "@misc{doc1,\n  file = {corpus/doc.txt},\n}\n");
    }

    #[test]
    fn types_and_page_notes() {
        let mut article = hit(Some("Integration"), &["Roland Roth"], &["DESI"], Some(2016));
        article.doc_type = Some("Zeitschriftenartikel".into());
        article.path = "https://example.org/a_b{1}.pdf#x".into();
        article.snippet.page = Some("iv".into());
        let text = bibtex(&[article]);
        assert!(
            text.starts_with("@article{roth2016integration,\n"),
            "{text}"
        );
        assert!(text.contains("  organization = {{DESI}},\n"), "{text}");
        assert!(
            text.contains("  url = {https://example.org/a_b%7B1%7D.pdf#x},\n"),
            "{text}"
        );
        assert!(
            text.contains("  note = {best passage on page iv},\n"),
            "{text}"
        );
    }

    proptest::proptest! {
        /// Whatever a document's metadata holds, every field's braces balance, so one bad
        /// title cannot swallow the entries after it.
        #[test]
        fn any_metadata_keeps_braces_balanced(
            title in "\\PC{0,40}",
            author in "\\PC{0,20}",
            institution in "\\PC{0,20}",
            path in "\\PC{0,20}",
        ) {
            let mut one = hit(Some(&title), &[&author], &[&institution], Some(2020));
            one.path = path;
            one.doc_type = Some(title.clone());
            let text = bibtex(&[one]);
            for line in text.lines().skip(1).filter(|line| line.starts_with("  ")) {
                let mut depth = 0i32;
                for c in line.chars() {
                    depth += match c { '{' => 1, '}' => -1, _ => 0 };
                    proptest::prop_assert!(depth >= 0, "{}", line);
                }
                proptest::prop_assert_eq!(depth, 0, "{}", line);
            }
            let closed = text.ends_with("\n}\n");
            proptest::prop_assert!(closed, "{}", text);
        }
    }
}

//! Packages built in memory: what the readers make of good ones and how they refuse bad ones.

use std::io::Cursor;

use super::package::{Limits, Package};
use super::*;

/// An entry of a test archive: its name, its bytes, and what its headers claim.
struct Entry<'a> {
    name: &'a str,
    data: &'a [u8],
    declared_size: Option<u32>,
    encrypted: bool,
}

fn entry<'a>(name: &'a str, data: &'a str) -> Entry<'a> {
    Entry {
        name,
        data: data.as_bytes(),
        declared_size: None,
        encrypted: false,
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// A zip archive of stored (uncompressed) entries.
fn zip(entries: &[Entry]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for e in entries {
        let offset = out.len() as u32;
        let size = e.data.len() as u32;
        let flags: u16 = if e.encrypted { 1 } else { 0 };
        let fields = |out: &mut Vec<u8>| {
            for v in [20u16, flags, 0, 0, 0] {
                out.extend(v.to_le_bytes());
            }
            out.extend(crc32(e.data).to_le_bytes());
            out.extend(size.to_le_bytes());
            out.extend(e.declared_size.unwrap_or(size).to_le_bytes());
            out.extend((e.name.len() as u16).to_le_bytes());
            out.extend(0u16.to_le_bytes());
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        fields(&mut out);
        out.extend(e.name.as_bytes());
        out.extend(e.data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes());
        fields(&mut central);
        central.extend([0u8; 10]);
        central.extend(offset.to_le_bytes());
        central.extend(e.name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    let count = (entries.len() as u16).to_le_bytes();
    out.extend(count);
    out.extend(count);
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(at.to_le_bytes());
    out.extend([0u8; 2]);
    out
}

const SMALL: Limits = Limits {
    bytes: 1000,
    entries: 3,
};

fn package(
    bytes: Vec<u8>,
    limits: Limits,
) -> std::result::Result<Package<Cursor<Vec<u8>>>, String> {
    Package::new(Cursor::new(bytes), limits)
}

#[test]
fn reads_the_parts_of_a_package() {
    let mut package = package(zip(&[entry("a.xml", "<a>Größe</a>")]), SMALL).unwrap();
    assert_eq!(
        package.text("a.xml").unwrap().as_deref(),
        Some("<a>Größe</a>")
    );
    assert_eq!(package.text("b.xml").unwrap(), None);
    assert_eq!(
        package.required("b.xml").unwrap_err(),
        "b.xml is missing from the package"
    );
}

#[test]
fn refuses_bad_packages() {
    let big = "x".repeat(600);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            b"Dies ist kein Zip.".to_vec(),
            "not a zip archive, or a corrupt or truncated one",
        ),
        (
            zip(&[
                entry("a", "1"),
                entry("b", "2"),
                entry("c", "3"),
                entry("d", "4"),
            ]),
            "zip bomb? the archive has 4 entries, more than the limit of 3",
        ),
    ];
    for (bytes, expected) in cases {
        let err = package(bytes, SMALL).err().expect(expected);
        assert!(err.starts_with(expected), "{err}");
    }
    let mut truncated = zip(&[entry("a.xml", &big)]);
    truncated.truncate(300);
    assert!(package(truncated, SMALL).is_err());
}

#[test]
fn refuses_a_part_that_declares_more_than_the_limit() {
    let bomb = Entry {
        declared_size: Some(5000),
        ..entry("content.xml", "<a/>")
    };
    let images = Entry {
        declared_size: Some(5000),
        ..entry("Pictures/foto.png", "")
    };
    let mut package = package(zip(&[bomb, images]), SMALL).unwrap();
    assert_eq!(
        package.text("content.xml").unwrap_err(),
        "zip bomb? content.xml declares more than the limit of 1000 bytes unpacked"
    );
}

#[test]
fn counts_the_bytes_it_unpacks_whatever_the_headers_declare() {
    let big = "x".repeat(600);
    // A part that declares 10 bytes and holds 600 is refused as it is unpacked (the zip crate
    // checks the declared size too; the count in `Package::bytes` holds for entries that
    // declare none).
    let lying = Entry {
        declared_size: Some(10),
        ..entry("a", &big)
    };
    let mut p = package(zip(&[lying]), SMALL).unwrap();
    let err = p.bytes("a").unwrap_err();
    assert!(err.starts_with("a: corrupt or truncated"), "{err}");
    // Parts that are each below the limit are refused once together they are above it.
    let mut p = package(zip(&[entry("a", &big), entry("b", &big)]), SMALL).unwrap();
    assert_eq!(p.bytes("a").unwrap().map(|a| a.len()), Some(600));
    assert_eq!(
        p.bytes("b").unwrap_err(),
        "zip bomb? b declares more than the limit of 1000 bytes unpacked"
    );
}

#[test]
fn refuses_an_encrypted_part() {
    let secret = Entry {
        encrypted: true,
        ..entry("word/document.xml", "geheim")
    };
    let mut package = package(zip(&[secret]), SMALL).unwrap();
    let err = package.text("word/document.xml").unwrap_err();
    assert!(err.contains("encrypted"), "{err}");
}

#[test]
fn reads_each_format_from_its_parts() {
    let docx = zip(&[
        entry(
            "word/document.xml",
            "<w:document><w:body><w:p><w:r><w:t>Integrationskurs für Geflüchtete[1]</w:t></w:r></w:p></w:body></w:document>",
        ),
        entry(
            "word/footnotes.xml",
            "<w:footnotes><w:footnote><w:p><w:r><w:t>Quelle: Straße 1</w:t></w:r></w:p></w:footnote></w:footnotes>",
        ),
        entry(
            "docProps/app.xml",
            "<Properties><Company>Stadt Köln</Company></Properties>",
        ),
    ]);
    let mut p = package(docx, LIMITS).unwrap();
    let got = docx::read(&mut p).unwrap();
    assert_eq!(
        got.chapters,
        ["Integrationskurs für Geflüchtete[1]\n\nQuelle: Straße 1"]
    );
    assert_eq!(got.metadata.institutions, ["Stadt Köln"]);

    let epub = zip(&[
        entry(
            "META-INF/container.xml",
            r#"<container><rootfiles><rootfile full-path="OPS/book.opf"/></rootfiles></container>"#,
        ),
        entry(
            "OPS/book.opf",
            r#"<package><metadata><dc:title>Buch</dc:title></metadata><manifest><item id="b" href="b.xhtml"/><item id="a" href="a.xhtml"/><item id="cover" href="cover.xhtml"/></manifest><spine><itemref idref="cover"/><itemref idref="a"/><itemref idref="b"/></spine></package>"#,
        ),
        entry(
            "OPS/cover.xhtml",
            "<html><body><img src='c.png'/></body></html>",
        ),
        entry(
            "OPS/a.xhtml",
            "<html><body><nav>Inhalt</nav><h1>Eins</h1><p>Ankunft</p></body></html>",
        ),
        entry("OPS/b.xhtml", "<html><body><p>Bleiben</p></body></html>"),
    ]);
    let mut p = package(epub, LIMITS).unwrap();
    let got = epub::read(&mut p).unwrap();
    assert_eq!(got.chapters, ["Eins\n\nAnkunft", "Bleiben"]);

    let missing = zip(&[entry("mimetype", "application/vnd.oasis.opendocument.text")]);
    let mut p = package(missing, LIMITS).unwrap();
    assert_eq!(
        odt::read(&mut p).err().unwrap(),
        "content.xml is missing from the package"
    );
}

#[test]
fn tidies_lines() {
    let cases = [
        ("a  \n\n\n\nb\n", "a\n\nb"),
        ("\n\n a\nb\t\n", " a\nb"),
        ("", ""),
    ];
    for (text, expected) in cases {
        assert_eq!(tidy(text), expected, "{text:?}");
    }
}

#[test]
fn splits_people_at_semicolons_only() {
    assert_eq!(
        split_people("Müller, Anna; Özdemir, Kemal;"),
        ["Müller, Anna", "Özdemir, Kemal"]
    );
}

mod proptests {
    use proptest::prelude::*;

    use super::*;

    const FIXTURES: [&[u8]; 3] = [
        include_bytes!("../../../tests/fixtures/publications/wohnen.docx"),
        include_bytes!("../../../tests/fixtures/publications/ehrenamt.odt"),
        include_bytes!("../../../tests/fixtures/publications/angekommen.epub"),
    ];

    proptest! {
        #[test]
        fn no_damage_to_a_package_makes_reading_it_panic(
            which in 0..3usize,
            damage in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut bytes = FIXTURES[which].to_vec();
            for (at, byte) in damage {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            if cut.index(4) == 0 {
                bytes.truncate(cut.index(bytes.len()));
            }
            if let Ok(mut package) = package(bytes, LIMITS) {
                let _ = docx::read(&mut package);
                let _ = odt::read(&mut package);
                let _ = epub::read(&mut package);
            }
        }
    }
}

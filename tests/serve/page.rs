//! The search page, rendered in process: the contract's ids and classes, highlighted passages
//! with pages, escaping, facets that toggle, paging, helpful no-hits, uploads, language.

use axum::http::StatusCode;

use super::app::{App, REPORTS, attributes, text_of};

#[tokio::test]
async fn the_empty_page_has_the_form_labelled_and_explained() {
    let app = App::new();
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text();
    assert!(html.contains("<html lang=\"de\">"));
    assert!(
        html.contains(r#"<form id="search" role="search" action="/search" method="get">"#),
        "{html}"
    );
    assert!(html.contains(r#"<label for="q">"#));
    assert!(html.contains(r#"<input id="q" name="q" type="search""#));
    for id in [
        "id=\"from\"",
        "id=\"to\"",
        "id=\"syntax-help\"",
        "id=\"upload\"",
        "name=\"file\"",
    ] {
        assert!(html.contains(id), "{id}");
    }
    assert!(!html.contains("id=\"hits\""));
    // English where the browser prefers it.
    let english = app.get_in("/", "en-GB,en;q=0.9,de;q=0.5").await.text();
    assert!(english.contains("<html lang=\"en\">") && english.contains("Search terms"));
}

#[tokio::test]
async fn hits_carry_highlighted_passages_with_their_pages_and_open_the_pdf_there() {
    let app = App::new();
    let html = app.get("/search?q=Kinderbetreuung").await.text();
    assert_eq!(text_of(&html, "id=\"total\"").as_deref(), Some("1 Treffer"));
    assert_eq!(html.matches("<li class=\"hit\">").count(), 1);
    assert_eq!(
        attributes(&html, "class=\"title\"", "href"),
        ["/documents/tex.pdf#page=2"]
    );
    assert!(html.contains("<mark>Kinderbetreuung</mark>"), "{html}");
    let pages = attributes(&html, "class=\"page\"", "href");
    assert_eq!(
        pages.first().map(String::as_str),
        Some("/documents/tex.pdf#page=2")
    );
    assert_eq!(text_of(&html, "class=\"page\"").as_deref(), Some("S. 1"));
    assert!(html.contains("class=\"meta\""));
    // The link opens the file.
    assert_eq!(app.get("/documents/tex.pdf").await.status, StatusCode::OK);
}

#[tokio::test]
async fn what_comes_from_documents_or_the_query_is_escaped() {
    let app = App::new();
    let html = app
        .get("/search?q=Integration+%3Cscript%3Ealert(1)%3C/script%3E&mode=any")
        .await
        .text();
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let html = app.get("/search?q=Skripte").await.text();
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; Integration"));
    assert!(html.contains("&lt;b&gt;Fett&lt;/b&gt;"));
}

#[tokio::test]
async fn a_facet_value_toggles_in_the_url_and_the_counts_follow() {
    let app = App::new();
    let html = app.get("/search?q=Bericht+Integration").await.text();
    let all = text_of(&html, "id=\"total\"").unwrap();
    assert_eq!(all, format!("{REPORTS} Treffer"));
    assert!(html.contains("data-facet=\"institution\""));
    let values = attributes(&html, "class=\"facet-value", "data-value");
    assert!(values.contains(&"DESI".to_string()), "{values:?}");
    let links = attributes(&html, "class=\"facet-value", "href");
    let desi = &links[values.iter().position(|v| v == "DESI").unwrap()];
    assert!(desi.contains("institution=DESI"), "{desi}");

    let html = app.get(desi).await.text();
    assert_eq!(
        text_of(&html, "id=\"total\"").unwrap(),
        format!("{} Treffer", REPORTS / 2)
    );
    assert!(html.contains("aria-pressed=\"true\""));
    let selected = attributes(&html, "aria-pressed=\"true\"", "data-value");
    assert_eq!(selected, ["DESI"]);
    // Several values of one facet: any of them; a year besides: both.
    let both = app
        .get("/search?q=Bericht+Integration&institution=DESI&institution=Bertelsmann+Stiftung")
        .await
        .text();
    assert_eq!(
        text_of(&both, "id=\"total\"").unwrap(),
        format!("{REPORTS} Treffer")
    );
    let year = app
        .get("/search?q=Bericht+Integration&institution=DESI&from=2015&to=2015")
        .await
        .text();
    let years: Vec<u32> = (0..REPORTS as u32)
        .filter(|i| i % 2 == 1 && 2014 + i % 6 == 2015)
        .collect();
    assert_eq!(
        text_of(&year, "id=\"total\"").unwrap(),
        format!("{} Treffer", years.len())
    );
    // Clicking the selected value again takes it away.
    let again = attributes(&html, "aria-pressed=\"true\"", "href");
    assert!(!again[0].contains("institution="), "{}", again[0]);
}

#[tokio::test]
async fn pages_of_hits_link_to_each_other() {
    let app = App::new();
    let html = app.get("/search?q=Integration").await.text();
    let total: usize = text_of(&html, "id=\"total\"")
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(total > 10, "{total}");
    assert_eq!(html.matches("<li class=\"hit\">").count(), 10);
    assert!(html.contains("<nav class=\"paging\""));
    assert!(attributes(&html, "rel=\"prev\"", "href").is_empty());
    let next = attributes(&html, "rel=\"next\"", "href");
    assert_eq!(next, ["/search?q=Integration&page=2"]);
    let last = total.div_ceil(10);
    let second = app.get(&next[0]).await.text();
    assert_eq!(
        second.matches("<li class=\"hit\">").count(),
        (total - 10).min(10)
    );
    assert!(second.contains("<ol id=\"hits\" start=\"11\">"));
    assert_eq!(
        attributes(&second, "rel=\"prev\"", "href"),
        ["/search?q=Integration"]
    );
    let end = app
        .get(&format!("/search?q=Integration&page={last}"))
        .await
        .text();
    assert_eq!(
        end.matches("<li class=\"hit\">").count(),
        total - 10 * (last - 1)
    );
    assert!(attributes(&end, "rel=\"next\"", "href").is_empty());
    // Past the last page: said, with the way back.
    let past = app
        .get(&format!("/search?q=Integration&page={}", last + 1))
        .await
        .text();
    assert!(past.contains("id=\"no-hits\""), "{past}");
}

#[tokio::test]
async fn no_hits_says_why_and_offers_any_word() {
    let app = App::new();
    let html = app
        .get("/search?q=Integration+Xylophonkonzert")
        .await
        .text();
    assert_eq!(text_of(&html, "id=\"total\"").as_deref(), Some("0 Treffer"));
    assert!(html.contains("id=\"no-hits\""));
    let any = attributes(&html, "id=\"any-words\"", "href");
    assert_eq!(any, ["/search?q=Integration+Xylophonkonzert&mode=any"]);
    let found = app.get(&any[0]).await.text();
    assert!(found.contains("<li class=\"hit\">"));
    // With filters, the page says so and offers to drop them.
    let filtered = app
        .get("/search?q=Kinderbetreuung&institution=DESI")
        .await
        .text();
    assert!(filtered.contains("mit den gewählten Filtern"), "{filtered}");
    assert_eq!(
        attributes(&filtered, "id=\"clear-filters\"", "href"),
        ["/search?q=Kinderbetreuung"]
    );
    // A bad year is a page that says so.
    let bad = app.get("/search?q=Kita&from=zwanzig").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("zwanzig"));
}

#[tokio::test]
async fn an_upload_from_the_form_says_it_is_searchable_and_is_found() {
    let app = App::new();
    let answer = app
        .post_multipart(
            "/upload",
            Some((
                "Neuer Bericht.txt",
                "Ein Bericht über Patenschaften für Geflüchtete".as_bytes(),
            )),
            &[
                ("title", "Patenschaften"),
                ("institutions", "Stadt Köln"),
                ("year", "2020"),
                ("authors", ""),
            ],
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let html = answer.text();
    assert!(html.contains("id=\"upload-status\""));
    assert!(html.contains("Neuer-Bericht.txt"));
    let search = attributes(&html, "id=\"search-uploaded\"", "href");
    let found = app.get(&search[0]).await.text();
    assert_eq!(
        text_of(&found, "id=\"total\"").as_deref(),
        Some("1 Treffer"),
        "{}",
        search[0]
    );
    assert_eq!(
        attributes(&found, "class=\"title\"", "href"),
        ["/documents/Neuer-Bericht.txt"]
    );
    let failed = app
        .post_multipart("/upload", Some(("x.pdf", b"kein pdf")), &[], &[])
        .await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(failed.text().contains("x.pdf"));
}

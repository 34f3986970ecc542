//! The OpenAPI description at `/api/openapi.json` is true: every route of the API and every
//! parameter of `/api/search` is described, every described path is served, and real answers
//! carry the fields the description requires.

use axum::http::StatusCode;
use integra::serve::{API_ROUTES, API_SEARCH_PARAMETERS};
use serde_json::Value;

use super::app::App;

/// The schema `reference` (`#/components/schemas/Name`) points to.
fn schema<'a>(spec: &'a Value, reference: &str) -> &'a Value {
    let name = reference.trim_start_matches("#/components/schemas/");
    &spec["components"]["schemas"][name]
}

/// Checks that `value` has every field `schema` requires, with the right JSON type, and
/// recursively for nested objects and arrays.
fn conforms(spec: &Value, schema_value: &Value, value: &Value, at: &str) {
    if let Some(reference) = schema_value["$ref"].as_str() {
        return conforms(spec, schema(spec, reference), value, at);
    }
    if value.is_null() {
        assert!(
            schema_value["nullable"] == true,
            "{at} is null, not nullable"
        );
        return;
    }
    match schema_value["type"].as_str() {
        Some("object") => {
            assert!(value.is_object(), "{at} is not an object: {value}");
            for field in schema_value["required"].as_array().into_iter().flatten() {
                let field = field.as_str().unwrap();
                assert!(value.get(field).is_some(), "{at}.{field} missing: {value}");
            }
            if let Some(properties) = schema_value["properties"].as_object() {
                for (name, property) in properties {
                    if let Some(inner) = value.get(name) {
                        conforms(spec, property, inner, &format!("{at}.{name}"));
                    }
                }
                for name in value.as_object().unwrap().keys() {
                    assert!(
                        properties.contains_key(name),
                        "{at}.{name} is not described"
                    );
                }
            }
        }
        Some("array") => {
            for (i, item) in value
                .as_array()
                .unwrap_or_else(|| panic!("{at} not an array"))
                .iter()
                .enumerate()
            {
                conforms(spec, &schema_value["items"], item, &format!("{at}[{i}]"));
            }
        }
        Some("string") => assert!(value.is_string(), "{at} is not a string"),
        Some("integer") => assert!(value.is_u64() || value.is_i64(), "{at} is not an integer"),
        Some("number") => assert!(value.is_number(), "{at} is not a number"),
        _ => {}
    }
}

#[tokio::test]
async fn every_route_and_parameter_is_described_and_served() {
    let app = App::new();
    let answer = app.get("/api/openapi.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    let spec = answer.json();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let paths = spec["paths"].as_object().unwrap();
    for (method, route) in API_ROUTES {
        let described = &paths
            .get(*route)
            .unwrap_or_else(|| panic!("{route} is not described"))[method.to_lowercase()];
        assert!(described.is_object(), "{method} {route} is not described");
    }
    let described: Vec<usize> = paths
        .iter()
        .map(|(path, item)| {
            let methods = item
                .as_object()
                .unwrap()
                .keys()
                .filter(|m| *m != "parameters");
            methods
                .map(|method| {
                    let known = API_ROUTES
                        .iter()
                        .any(|(m, r)| m.eq_ignore_ascii_case(method) && r == path);
                    assert!(known, "{method} {path} is described but not routed");
                })
                .count()
        })
        .collect();
    assert_eq!(described.iter().sum::<usize>(), API_ROUTES.len());
    let parameters: Vec<&str> = spec["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    let mut expected = API_SEARCH_PARAMETERS.to_vec();
    expected.sort_unstable();
    let mut parameters_sorted = parameters.clone();
    parameters_sorted.sort_unstable();
    assert_eq!(parameters_sorted, expected);
    // Each described parameter is taken by the server (an unknown one is a 400).
    for name in parameters {
        let value = match name {
            "q" => "Integration",
            "year" => "2016",
            "mode" => "any",
            "author" | "institution" => "DESI",
            "exact" | "explain" | "correct" => "true",
            "format" => "bibtex",
            "feedback" => "on",
            _ => "2",
        };
        let answer = app
            .get(&format!("/api/search?q=Integration&{name}={value}"))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{name}: {}", answer.text());
    }
    // Each route is served by a handler of its own, not by the fallback that answers paths
    // no route serves.
    for (method, route) in API_ROUTES {
        let uri = route.replace("{id}", "nowhere.txt");
        let request = axum::http::Request::builder()
            .method(*method)
            .uri(&uri)
            .body(axum::body::Body::empty())
            .unwrap();
        let answer = app.send(request).await;
        assert!(
            !answer.text().contains("no such page or API route"),
            "{method} {route}: {}",
            answer.text()
        );
        assert_ne!(
            answer.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {route}"
        );
    }
    let fallback = app.get("/api/searches").await;
    assert!(fallback.text().contains("no such page or API route"));
}

#[tokio::test]
async fn real_answers_carry_the_documented_fields() {
    let app = App::new();
    let spec = app.get("/api/openapi.json").await.json();
    let search = app
        .get("/api/search?q=Kinderbetreuung+OR+Integration&passages=2&limit=20")
        .await
        .json();
    conforms(
        &spec,
        &spec["paths"]["/api/search"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        &search,
        "search",
    );
    assert!(
        search["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| !h["snippet"]["page"].is_null())
    );
    let stats = app.get("/api/stats").await.json();
    conforms(&spec, schema(&spec, "Stats"), &stats, "stats");
    let path = search["hits"][0]["path"].as_str().unwrap();
    let document = app.get(&format!("/api/documents{path}")).await.json();
    conforms(&spec, schema(&spec, "Hit"), &document, "document");
    let stored = app
        .post_multipart(
            "/api/documents",
            Some(("neu.txt", b"Neuer Text zur Integration")),
            &[("year", "2021")],
            &[],
        )
        .await
        .json();
    conforms(&spec, schema(&spec, "Stored"), &stored, "stored");
    let request = axum::http::Request::delete(format!(
        "/api/documents{}",
        stored["path"].as_str().unwrap()
    ))
    .body(axum::body::Body::empty())
    .unwrap();
    let removed = app.send(request).await.json();
    conforms(&spec, schema(&spec, "Removed"), &removed, "removed");
    let error = app.get("/api/search").await.json();
    conforms(&spec, schema(&spec, "Error"), &error, "error");
}

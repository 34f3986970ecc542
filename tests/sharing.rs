//! An index shared with people who may only read it: a colleague's account, a read-only
//! network drive. Searching needs no write access and no lock, and the files an index is made
//! of are readable by whoever the umask lets read.

mod util;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use util::Workspace;

/// Sets the mode of every file and folder under `path`: `dirs` for folders, `files` for files.
fn chmod_all(path: &Path, dirs: u32, files: u32) {
    let mode = if path.is_dir() { dirs } else { files };
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            chmod_all(&entry.unwrap().path(), dirs, files);
        }
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn is_root() -> bool {
    let id = Command::new("id").arg("-u").output().expect("id runs");
    String::from_utf8_lossy(&id.stdout).trim() == "0"
}

#[test]
fn every_file_of_an_index_is_as_readable_as_the_umask_allows() {
    let ws = Workspace::with_seed_corpus();
    assert_eq!(ws.run(&["index"]).code(), 0);
    // A file made the ordinary way gets the mode the umask allows.
    ws.write("probe", "");
    let expected = mode(&ws.path("probe"));
    for entry in std::fs::read_dir(ws.path("index")).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), expected, "{}", path.display());
    }
}

#[test]
fn a_read_only_index_is_searched_by_someone_who_may_only_read_it() {
    let ws = Workspace::with_seed_corpus();
    assert_eq!(ws.run(&["index"]).code(), 0);
    // Read-only for everyone: no file or folder of the workspace can be written or made.
    chmod_all(ws.dir.path(), 0o555, 0o444);
    // Root may write anyway, so the search runs as another user (nobody), as a colleague's
    // would; an ordinary user is held back by the modes themselves.
    let mut search = if is_root() {
        let mut command = Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_integra"));
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_integra"))
    };
    let output = search
        .args(["search", "--json", "Kommunen"])
        .current_dir(ws.dir.path())
        .output()
        .expect("integra runs");
    chmod_all(ws.dir.path(), 0o755, 0o644);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("Permission denied") && stderr.contains("setpriv") {
        // The binary itself is out of nobody's reach (a checkout in a private folder): nothing
        // about the index can be learned here.
        eprintln!("skipped: nobody cannot run the binary: {stderr}");
        return;
    }
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(results["total"], 5, "{results}");
}

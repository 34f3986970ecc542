//! Runs the real `integra` binary in a temporary directory, as ripgrep's tests/util.rs does.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary working directory with a copy of the shipped corpus.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// An empty workspace.
    pub fn empty() -> Workspace {
        Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A workspace whose `corpus/` is a copy of the repository's seed corpus.
    pub fn with_seed_corpus() -> Workspace {
        let ws = Workspace::empty();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let to = ws.path("corpus");
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if name.to_string_lossy().starts_with("README") {
                continue;
            }
            std::fs::copy(entry.path(), to.join(name)).unwrap();
        }
        ws
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// Runs `integra ARGS` in the workspace.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_integra"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("integra runs");
        Run { output }
    }

    /// Runs `integra ARGS`, reads one byte of its output and closes the pipe, as `| head -c1`
    /// does, and waits for it to end.
    pub fn run_closing_stdout(&self, args: &[&str]) -> Run {
        use std::io::Read;
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_integra"))
            .args(args)
            .current_dir(self.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("integra runs");
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let mut byte = [0u8; 1];
        stdout
            .read_exact(&mut byte)
            .expect("integra writes something");
        drop(stdout);
        Run {
            output: child.wait_with_output().expect("integra ends"),
        }
    }

    /// Runs `integra search --json ARGS` and parses the output.
    pub fn search_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["search", "--json"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert!(
            run.code() == 0 || run.code() == 1,
            "search {args:?} failed: {}",
            run.stderr()
        );
        serde_json::from_str(&run.stdout())
            .unwrap_or_else(|e| panic!("search {args:?} printed no JSON ({e}): {}", run.stdout()))
    }
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
}

/// The ids (first three characters of the file name) of the hits of a `--json` answer.
pub fn hit_ids(results: &serde_json::Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let path = h["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap();
            name.chars().take(3).collect()
        })
        .collect()
}

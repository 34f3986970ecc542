//! A full disk: the run that fills it fails with a clear message, leaves the last commit
//! searchable and takes back the space it wrote, and the next run succeeds.
//!
//! The disk is a 3 MB tmpfs mounted for the test, which needs root (CI runs as root); where the
//! mount is refused the test says so and checks nothing.

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

use util::Workspace;

/// A tmpfs mounted at a folder, unmounted when dropped.
struct SmallDisk {
    at: PathBuf,
}

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .ok()?;
        if !mounted.status.success() {
            eprintln!(
                "skipped: cannot mount a tmpfs: {}",
                String::from_utf8_lossy(&mounted.stderr)
            );
            return None;
        }
        Some(SmallDisk {
            at: at.to_path_buf(),
        })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.at).status();
    }
}

fn used_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

#[test]
fn a_full_disk_rolls_back_frees_its_space_and_the_next_run_succeeds() {
    let ws = Workspace::with_seed_corpus();
    let Some(disk) = SmallDisk::mount(&ws.path("disk"), "3m") else {
        return;
    };
    let index = disk.at.join("index");
    let index = index.to_str().unwrap();
    assert_eq!(ws.run(&["index", "--index", index]).code(), 0);
    let committed = used_bytes(Path::new(index));

    // Far more than the disk holds: 30,000 paragraphs, each with words of its own.
    let line = "Die Kommunen tragen die Integration der Geflüchteten, von der Unterbringung bis zur \
                Sprachförderung in Kitas und Schulen.";
    let lines: String = (0..30_000)
        .map(|i| {
            let own: Vec<String> = (0..8).map(|k| format!("wort{i}x{k}")).collect();
            format!(
                "{{\"id\": \"{i}\", \"text\": \"{line} {}\"}}\n",
                own.join(" ")
            )
        })
        .collect();
    ws.write("corpus/viel.jsonl", lines);
    let full = ws.run(&["index", "--index", index]);
    assert_eq!(full.code(), 2, "{}", full.stdout());
    assert!(
        full.stderr().contains(&format!(
            "no space left on the disk of the index at {index}: nothing of this run was committed"
        )),
        "{}",
        full.stderr()
    );
    assert!(!full.stderr().contains("panicked"), "{}", full.stderr());
    // The last commit is searchable, and what the failed run wrote is gone.
    let results = ws.search_json(&["Kommunen", "--index", index]);
    assert_eq!(results["total"], 5, "{results}");
    assert!(
        used_bytes(Path::new(index)) <= committed + 4096,
        "{} bytes left behind",
        used_bytes(Path::new(index)) - committed
    );

    // With space again (the big file gone), the next run succeeds and the index is sound.
    std::fs::remove_file(ws.path("corpus/viel.jsonl")).unwrap();
    ws.write(
        "corpus/neu.txt",
        "Neue Studie\n\nWohnraum für Geflüchtete in den Kommunen.",
    );
    let next = ws.run(&["index", "--index", index]);
    assert_eq!(next.code(), 0, "{}", next.stderr());
    assert_eq!(ws.search_json(&["Kommunen", "--index", index])["total"], 6);
    assert_eq!(ws.run(&["check", "--index", index]).code(), 0);
}

//! Disks that refuse writes: a full disk must end the run with a clear error and exit 2,
//! leaving the previous commit intact and searchable (and no half-written segments taking
//! the space); a read-only index folder must give a clear error for `index` while `search`
//! and `stats` still work.
//!
//! The real thing is a small tmpfs (`mount -t tmpfs -o size=...`), remounted read-only for
//! the second test; that needs root and a sandbox that permits mounts. Where mounting is
//! refused, the full disk is stood in for by a file-size limit (`prlimit --fsize`, with
//! SIGXFSZ ignored, so writes fail with EFBIG as they fail with ENOSPC on a full disk) and
//! the read-only folder by `chmod a-w` (as root, with the capability that overrides it
//! dropped through `setpriv`). Where neither works, the test says SKIPPED and passes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("dossier")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A tmpfs mounted on a folder for the life of the value.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| Mount(dir.to_path_buf()))
    }

    fn remount_read_only(&self) -> bool {
        Command::new("mount").args(["-o", "remount,ro"]).arg(&self.0).output().is_ok_and(|o| o.status.success())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).output();
    }
}

/// Distinct pages of pseudo-random words (seeded), so the index grows with every page.
fn write_generated_pages(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir).expect("folder");
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..count {
        let words: Vec<String> = (0..600)
            .map(|_| {
                let n = next();
                (0..3 + n % 8).map(|k| char::from(b'a' + ((n >> (8 + 5 * k)) % 26) as u8)).collect()
            })
            .collect();
        let page = format!(
            "<html><head><title>Generated page {i}</title></head><body><article><p>{}</p></article></body></html>",
            words.join(" ")
        );
        std::fs::write(dir.join(format!("page-{i:04}.html")), page).expect("write");
    }
}

fn copy_sample_corpus(to: &Path) {
    for entry in walkdir::WalkDir::new(repo().join("corpus")) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(repo().join("corpus")).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("dir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// How `dossier` is started: directly, or through a command that limits it.
#[derive(Default)]
struct Runner {
    prefix: Vec<String>,
}

/// Capabilities that let root write where the permissions say no.
const OVERRIDES: [&str; 2] =
    ["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"];

impl Runner {
    /// Root without the capabilities that override file permissions.
    fn without_overrides() -> Runner {
        let mut prefix = vec!["setpriv".to_string()];
        prefix.extend(OVERRIDES.iter().map(|s| s.to_string()));
        Runner { prefix }
    }

    fn run(&self, args: &[&std::ffi::OsStr]) -> Output {
        let bin = bin();
        let mut argv: Vec<&std::ffi::OsStr> = self.prefix.iter().map(std::ffi::OsStr::new).collect();
        argv.push(bin.as_os_str());
        argv.extend_from_slice(args);
        Command::new(argv[0]).args(&argv[1..]).env("NO_COLOR", "1").output().expect("runs")
    }
}

fn dossier(args: &[&std::ffi::OsStr]) -> Output {
    Runner::default().run(args)
}

fn index(corpus: &Path, index: &Path) -> Output {
    dossier(&["index".as_ref(), corpus.as_os_str(), "--index".as_ref(), index.as_os_str()])
}

/// Documents and the hits of a query, from the index as `search` and `stats` see it.
fn documents_and_hits(index: &Path, query: &str) -> (u64, u64) {
    documents_and_hits_as(&Runner::default(), index, query)
}

fn documents_and_hits_as(runner: &Runner, index: &Path, query: &str) -> (u64, u64) {
    let dossier = |args: &[&std::ffi::OsStr]| runner.run(args);
    let stats = dossier(&["stats".as_ref(), "--json".as_ref(), "--index".as_ref(), index.as_os_str()]);
    assert_eq!(stats.status.code(), Some(0), "stats: {}", stderr(&stats));
    let stats: Value = serde_json::from_slice(&stats.stdout).expect("JSON");
    let search =
        dossier(&["search".as_ref(), query.as_ref(), "--json".as_ref(), "--index".as_ref(), index.as_os_str()]);
    assert_eq!(search.status.code(), Some(0), "search: {}", stderr(&search));
    let search: Value = serde_json::from_slice(&search.stdout).expect("JSON");
    (stats["documents"].as_u64().expect("documents"), search["total"].as_u64().expect("total"))
}

fn bytes_in(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_previous_commit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    copy_sample_corpus(&corpus);
    let ix = dir.path().join("index");
    let mount = Mount::tmpfs(&ix, "2m");
    let first = index(&corpus, &ix);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before = documents_and_hits(&ix, "Mongolia");
    let size_before = bytes_in(&ix);

    write_generated_pages(&corpus.join("generated"), 600);
    let second = if mount.is_some() {
        index(&corpus, &ix)
    } else {
        // No mount: files may not grow past 256 KB, and a write past it fails with EFBIG.
        let limited = Command::new("sh")
            .arg("-c")
            .arg("trap '' XFSZ; exec prlimit --fsize=262144 \"$@\"")
            .arg("sh")
            .arg(bin())
            .arg("index")
            .arg(&corpus)
            .arg("--index")
            .arg(&ix)
            .output();
        match limited {
            Ok(out) if !stderr(&out).contains("prlimit:") => out,
            _ => {
                eprintln!("SKIPPED: neither a tmpfs mount nor prlimit --fsize is available here");
                return;
            }
        }
    };
    eprintln!("mechanism: {}", if mount.is_some() { "tmpfs of 2 MB" } else { "prlimit --fsize" });
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    let err = stderr(&second);
    assert!(err.contains("is full") && err.contains("previous index is intact"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(documents_and_hits(&ix, "Mongolia"), before, "the previous commit answers as before");
    assert!(bytes_in(&ix) < size_before + 64 * 1024, "the failed run's segment files were removed");
    drop(mount);
}

#[test]
fn a_read_only_index_can_be_searched_but_not_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    copy_sample_corpus(&corpus);
    let ix = dir.path().join("index");
    let mount = Mount::tmpfs(&ix, "8m");
    let first = index(&corpus, &ix);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before = documents_and_hits(&ix, "Mongolia");
    write_generated_pages(&corpus.join("generated"), 3);

    let runner = match &mount {
        Some(m) if m.remount_read_only() => Runner::default(),
        _ => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&ix, std::fs::Permissions::from_mode(0o555)).expect("chmod");
            let probe = Command::new("setpriv").args(OVERRIDES).arg("touch").arg(ix.join("probe")).output();
            if !probe.is_ok_and(|o| !o.status.success()) {
                eprintln!("SKIPPED: no read-only mount, and the index folder stays writable despite chmod");
                return;
            }
            Runner::without_overrides()
        }
    };
    eprintln!("mechanism: {}", if runner.prefix.is_empty() { "tmpfs remounted read-only" } else { "chmod a-w" });
    let out = runner.run(&["index".as_ref(), corpus.as_os_str(), "--index".as_ref(), ix.as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("cannot be written") && err.contains("can still be searched"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(documents_and_hits_as(&runner, &ix, "Mongolia"), before, "search and stats work on the read-only index");
    drop(mount);
}

//! The parent's side of extraction in a worker process: starts the worker with a memory limit,
//! sends it one file at a time, waits for the answer no longer than the time limit, and kills
//! the worker when the limit passes or the run stops. A worker that is killed or dies is
//! started again for the next file.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::protocol::{Answer, Request};
use crate::corpus::{Document, SourceFile};
use crate::error::{Error, Result};

/// How often a wait for an answer asks whether the run was stopped.
const TICK: Duration = Duration::from_millis(100);

/// The most of what a worker writes to stderr while reading a file that is kept, to say why it
/// died.
const STDERR_KEPT: usize = 2048;

/// How to start a worker and the limits it runs under.
#[derive(Debug, Clone)]
pub(crate) struct WorkerSpec {
    /// The program and its arguments.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
    /// The most address space the worker may take, in bytes; `0` sets no limit.
    pub memory_limit: u64,
    /// The longest a file may take; zero sets no limit.
    pub timeout: Duration,
}

/// An extraction worker: a process started on first use and again after it was killed.
pub(crate) struct Worker {
    spec: WorkerSpec,
    running: Option<Running>,
}

/// A worker process and the pipes to it.
struct Running {
    child: Child,
    stdin: ChildStdin,
    /// Its answers, one line each, read by a thread so that a worker that never answers
    /// cannot block the parent.
    answers: Receiver<std::io::Result<String>>,
    /// The beginning of what it wrote to stderr while reading the current file.
    stderr: Arc<Mutex<String>>,
}

impl Worker {
    /// A worker that will be started by `spec` when it is first given a file.
    pub fn new(spec: WorkerSpec) -> Worker {
        Worker {
            spec,
            running: None,
        }
    }

    /// Reads `source` in the worker: its documents, or the error the worker answered with,
    /// [`Error::TimedOut`] if no answer came within the time limit, [`Error::ReaderFailed`]
    /// if the worker died, or [`Error::Interrupted`] once `stopped` says so (it is asked a few
    /// times a second).
    pub fn extract(
        &mut self,
        source: &SourceFile,
        stopped: &dyn Fn() -> bool,
    ) -> Result<Vec<Result<Document>>> {
        let failed = |reason: String| Error::ReaderFailed {
            path: source.path.clone(),
            reason,
        };
        if self.running.is_none() {
            let running = self.spawn().map_err(|err| {
                failed(format!(
                    "cannot start the extraction worker {}: {err}",
                    self.spec.program.display()
                ))
            })?;
            self.running = Some(running);
        }
        let running = self.running.as_mut().expect("started above");
        running
            .stderr
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        let mut line = serde_json::to_string(&Request::of(source))
            .expect("a request of paths and strings serializes");
        line.push('\n');
        if running
            .stdin
            .write_all(line.as_bytes())
            .and_then(|()| running.stdin.flush())
            .is_err()
        {
            // The worker is gone; its exit status says why.
            return Err(failed(self.end()));
        }
        let started = Instant::now();
        loop {
            if stopped() {
                self.kill();
                return Err(Error::Interrupted);
            }
            let wait = match self.spec.timeout {
                Duration::ZERO => TICK,
                limit => match limit.checked_sub(started.elapsed()) {
                    Some(left) => left.min(TICK),
                    None => {
                        self.kill();
                        return Err(Error::TimedOut {
                            path: source.path.clone(),
                            // A limit under a second is not "0 s".
                            seconds: limit.as_secs() + u64::from(limit.subsec_nanos() > 0),
                        });
                    }
                },
            };
            let running = self.running.as_mut().expect("still running");
            match running.answers.recv_timeout(wait) {
                Ok(Ok(line)) => return parse(&line, source),
                Err(RecvTimeoutError::Timeout) => {}
                Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                    return Err(failed(self.end()));
                }
            }
        }
    }

    /// Starts the worker process, in a process group of its own (so that killing it kills what
    /// it started, and Ctrl-C on a terminal reaches only the parent, which stops the run) and
    /// with its memory limit.
    fn spawn(&self) -> std::io::Result<Running> {
        let mut command = Command::new(&self.spec.program);
        command
            .args(&self.spec.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        limit_child(&mut command, self.spec.memory_limit);
        let mut child = command.spawn()?;
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr_pipe = child.stderr.take().expect("stderr is piped");
        let (sender, answers) = mpsc::channel();
        std::thread::Builder::new()
            .name("integra-worker-out".into())
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let failed = line.is_err();
                    if sender.send(line).is_err() || failed {
                        break;
                    }
                }
            })?;
        let stderr = Arc::new(Mutex::new(String::new()));
        let tail = Arc::clone(&stderr);
        std::thread::Builder::new()
            .name("integra-worker-err".into())
            .spawn(move || keep_head(stderr_pipe, &tail))?;
        Ok(Running {
            child,
            stdin,
            answers,
            stderr,
        })
    }

    /// Kills the worker, if one runs, and waits for it.
    fn kill(&mut self) {
        if let Some(mut running) = self.running.take() {
            kill_group(&mut running.child);
            let _ = running.child.wait();
        }
    }

    /// Waits for a worker that closed its end of a pipe (killing it, should it linger) and says
    /// how it ended.
    fn end(&mut self) -> String {
        let Some(mut running) = self.running.take() else {
            return "the extraction worker is not running".into();
        };
        // A worker that closed its stdout is exiting; one that closed only stdin is not.
        let deadline = Instant::now() + Duration::from_secs(1);
        let status = loop {
            match running.child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                _ => {
                    kill_group(&mut running.child);
                    break running.child.wait().ok();
                }
            }
        };
        // The stderr thread reads until the pipe closes; give it a moment to finish.
        std::thread::sleep(Duration::from_millis(20));
        // Its first words say why ("memory allocation of 79691776 bytes failed"); a backtrace
        // may follow.
        let said = running
            .stderr
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or_default()
            .to_string();
        let how = status.map_or_else(|| "it ended".to_string(), describe_exit);
        if said.is_empty() {
            how
        } else {
            format!("{how}: {said}")
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The documents of an answer, or the reader's error, as reading in process would return them.
fn parse(line: &str, source: &SourceFile) -> Result<Vec<Result<Document>>> {
    let answer: Answer = serde_json::from_str(line).map_err(|err| Error::ReaderFailed {
        path: source.path.clone(),
        reason: format!("the extraction worker answered with something else: {err}"),
    })?;
    match answer {
        Ok(documents) => Ok(documents
            .into_iter()
            .map(|document| document.map_err(|err| err.into_error(&source.path)))
            .collect()),
        Err(err) => Err(err.into_error(&source.path)),
    }
}

/// How a worker ended, for the report: by a signal (a kill, a crash, an allocation over the
/// memory limit aborts) or with an exit status.
fn describe_exit(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let why = match signal {
                libc::SIGKILL => " (out of memory?)",
                libc::SIGABRT => " (out of memory or a crash)",
                libc::SIGSEGV | libc::SIGBUS => " (a crash)",
                _ => "",
            };
            return format!("killed by signal {signal}{why}");
        }
    }
    match status.code() {
        Some(code) => format!("exited with status {code} without an answer"),
        None => "ended without an answer".to_string(),
    }
}

/// Keeps the first [`STDERR_KEPT`] bytes of what a worker writes to stderr (since `kept` was
/// last cleared), and reads the rest to keep the pipe from filling up.
fn keep_head(mut pipe: impl Read, kept: &Mutex<String>) {
    let mut buffer = [0; 4096];
    while let Ok(n) = pipe.read(&mut buffer) {
        if n == 0 {
            break;
        }
        let mut kept = kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() < STDERR_KEPT {
            let room = STDERR_KEPT - kept.len();
            kept.push_str(&String::from_utf8_lossy(&buffer[..n.min(room)]));
        }
    }
}

/// Puts the child into a process group of its own and limits its address space.
#[cfg(unix)]
fn limit_child(command: &mut Command, memory_limit: u64) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
    if memory_limit > 0 {
        let limit = libc::rlim_t::try_from(memory_limit).unwrap_or(libc::RLIM_INFINITY);
        // SAFETY: the closure runs in the child between fork and exec, where only
        // async-signal-safe calls are allowed; setrlimit is one and nothing is allocated.
        unsafe {
            command.pre_exec(move || {
                let rlimit = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: limit,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &rlimit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
}

/// Kills the worker and whatever it started (its process group).
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill has no memory-safety preconditions; the group is the child's own,
        // created at spawn, and the child has not been waited for, so its id is not reused.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::corpus::Format;

    fn shell(script: &str, timeout: Duration) -> Worker {
        Worker::new(WorkerSpec {
            program: PathBuf::from("/bin/sh"),
            args: vec!["-c".into(), script.into()],
            memory_limit: 0,
            timeout,
        })
    }

    fn source() -> SourceFile {
        SourceFile {
            path: PathBuf::from("korpus/studie.html"),
            display: "korpus/studie.html".into(),
            format: Format::Html,
            sidecar: None,
        }
    }

    #[test]
    fn a_worker_that_hangs_is_killed_at_the_time_limit() {
        let mut worker = shell("sleep 30", Duration::from_millis(500));
        let started = Instant::now();
        let err = worker.extract(&source(), &|| false).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(
            err.to_string(),
            "korpus/studie.html: over the time limit: not read within 1 s (--file-timeout)"
        );
        assert!(worker.running.is_none());
    }

    #[test]
    fn a_worker_killed_at_the_time_limit_is_started_again_for_the_next_file() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("erster");
        // The first worker hangs; the one started after it answers every request.
        let script = format!(
            "if [ -e '{0}' ]; then while read line; do echo '{{\"Ok\":[]}}'; done; \
             else touch '{0}'; sleep 30; fi",
            marker.display()
        );
        let mut worker = shell(&script, Duration::from_millis(500));
        let err = worker.extract(&source(), &|| false).unwrap_err();
        assert!(matches!(err, Error::TimedOut { .. }), "{err}");
        for _ in 0..2 {
            assert!(worker.extract(&source(), &|| false).unwrap().is_empty());
        }
    }

    #[test]
    fn a_worker_killed_by_a_signal_is_a_failed_reader() {
        let mut worker = shell("read line; kill -9 $$", Duration::from_secs(10));
        let err = worker.extract(&source(), &|| false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "korpus/studie.html: the reader failed: killed by signal 9 (out of memory?)"
        );
    }

    #[test]
    fn a_worker_that_exits_says_its_status_and_last_words() {
        let mut worker = shell(
            "read line; echo 'kaputt' >&2; exit 3",
            Duration::from_secs(10),
        );
        let err = worker.extract(&source(), &|| false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "korpus/studie.html: the reader failed: exited with status 3 without an answer: kaputt"
        );
    }

    #[test]
    fn an_answer_is_the_documents_or_the_readers_error() {
        let answer = r#"{"Err":{"kind":"encrypted","path":[97,46,104,116,109,108]}}"#;
        let err = parse(answer, &source()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.html: encrypted: it needs a password to be read"
        );
        let err = parse("kaputt", &source()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("korpus/studie.html: the reader failed: the extraction worker answered with something else"),
            "{err}"
        );
        let documents = parse(r#"{"Ok":[]}"#, &source()).unwrap();
        assert!(documents.is_empty());
    }

    #[test]
    fn a_worker_that_cannot_start_is_a_failed_reader() {
        let mut worker = Worker::new(WorkerSpec {
            program: PathBuf::from("/gibt/es/nicht"),
            args: Vec::new(),
            memory_limit: 0,
            timeout: Duration::from_secs(1),
        });
        let err = worker.extract(&source(), &|| false).unwrap_err();
        assert!(
            err.to_string()
                .contains("cannot start the extraction worker /gibt/es/nicht"),
            "{err}"
        );
    }

    #[test]
    fn a_stopped_run_stops_waiting() {
        let mut worker = shell("sleep 30", Duration::ZERO);
        let err = worker.extract(&source(), &|| true).unwrap_err();
        assert!(matches!(err, Error::Interrupted), "{err}");
    }

    #[test]
    fn the_memory_limit_applies_to_the_worker() {
        let mut worker = Worker::new(WorkerSpec {
            program: PathBuf::from("/bin/sh"),
            args: vec!["-c".into(), "read line; ulimit -v >&2; exit 1".into()],
            memory_limit: 512 << 20,
            timeout: Duration::from_secs(10),
        });
        let err = worker.extract(&source(), &|| false).unwrap_err();
        // ulimit -v counts KiB.
        assert!(err.to_string().ends_with(": 524288"), "{err}");
    }
}

//! The index folder as tantivy sees it, readable on read-only media (a mounted archive
//! disc, a folder the user may not write). tantivy takes its meta lock even to open a
//! reader: the lock file is opened for writing, which fails there, so without this a
//! read-only index could not be searched at all. Owns only that fallback; every other
//! operation, and every other lock (the writer's above all), goes to `MmapDirectory`.

use std::io::ErrorKind;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr, META_LOCK,
};

#[derive(Debug, Clone)]
pub struct ReadableDirectory {
    inner: MmapDirectory,
}

impl ReadableDirectory {
    pub fn new(inner: MmapDirectory) -> ReadableDirectory {
        ReadableDirectory { inner }
    }
}

/// Whether an error says the folder cannot be written at all (rather than: it is busy).
pub fn is_unwritable(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::ReadOnlyFilesystem | ErrorKind::PermissionDenied)
}

impl Directory for ReadableDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }

    /// The meta lock keeps a writer's garbage collection from deleting segment files while
    /// a reader opens them. Where the lock file cannot be written, no writer can delete
    /// anything either, so the reader goes ahead without it. (A folder only *this* user
    /// may not write could still have a writer of another user: a window as narrow as the
    /// opening of the segments, and the reader then reports a missing file, not bad hits.)
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(e)) if lock.filepath == META_LOCK.filepath && is_unwritable(&e) => {
                // Nothing to hold: the lock is released when this is dropped.
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
}

// Package atomicfile writes files so that a reader, or a crash, never
// sees a part of one: the data go to a temporary file in the same
// directory, which is synced and then renamed over the destination.
//
// What is not a regular file is written through instead: a symbolic link
// is followed and its target replaced (the link stays a link), and a
// device, pipe or /dev/stdout is opened and written directly, its write
// errors reported (ENOSPC from /dev/full).
package atomicfile

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Write writes what fill produces to path. The file at path then holds
// either its old contents (or does not exist) or everything fill wrote,
// never a part: if fill, or writing, syncing or renaming fails, Write
// removes the temporary file, leaves path untouched and returns the
// error. A new file gets permissions 0644; a replaced one keeps its own.
// Writing to a directory is an error. fill's writer is buffered.
//
// A symbolic link at path is followed, through every link, and its
// target written that way. A path that names a device, a pipe or a
// socket, or lies under /dev or /proc (such as /dev/stdout), is written
// directly, without a temporary file.
//
// Temporary files are named ".NAME.tmpPID-RANDOM". Write first removes
// those of the same NAME whose process no longer runs: what a write
// killed with SIGKILL left behind.
func Write(path string, fill func(w io.Writer) error) (err error) {
	path = resolve(path)
	if direct(path) {
		return writeDirect(path, fill)
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return &os.PathError{Op: "write", Path: path, Err: errors.New("is a directory")}
		}
		mode = fi.Mode().Perm()
	}
	removeStale(path)
	f, err := os.CreateTemp(filepath.Dir(path), tempPrefix(path)+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriter(f)
	if err = fill(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Chmod(mode); err != nil { // CreateTemp made it 0600
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	// Make the rename itself durable; not every system can sync a
	// directory, and the file is in place either way.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// direct reports whether path is to be written directly: it names an
// existing file that is neither regular nor a directory, or lies under
// /dev or /proc, whose links (/dev/stdout, /proc/self/fd/1) stand for
// open files that a rename cannot replace.
func direct(path string) bool {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return true
	}
	return underDevOrProc(path)
}

// underDevOrProc reports whether path lies under /dev or /proc.
func underDevOrProc(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil || runtime.GOOS == "windows" {
		return false
	}
	return strings.HasPrefix(abs, "/dev/") || strings.HasPrefix(abs, "/proc/")
}

// writeDirect writes what fill produces straight into path.
func writeDirect(path string, fill func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// resolve follows the symbolic links at path, dangling ones included, and
// returns the path of what they end at (path itself when it is not a
// link). It stops at a path under /dev or /proc, whose links stand for
// open files (/proc/self/fd/1), and gives up after 40 links, as the
// kernel does.
func resolve(path string) string {
	for range 40 {
		if underDevOrProc(path) {
			return path
		}
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return path
		}
		target, err := os.Readlink(path)
		if err != nil {
			return path
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return path
}

// tempPrefix is how the names of path's temporary files start.
func tempPrefix(path string) string {
	return "." + filepath.Base(path) + ".tmp"
}

// staleAge is how old a temporary file without a process ID in its name
// (as written before the names had one) must be to count as left behind.
const staleAge = time.Hour

// removeStale removes the temporary files of path that no running
// process is writing: those whose process ID names a process that is
// gone, and old ones without an ID. Errors are ignored: a file that
// cannot be removed is left where it is.
func removeStale(path string) {
	dir, prefix := filepath.Dir(path), tempPrefix(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		stale := false
		if pid, _, found := strings.Cut(rest, "-"); found {
			n, err := strconv.Atoi(pid)
			stale = err == nil && n > 0 && !running(n)
		} else if _, err := strconv.Atoi(rest); err == nil {
			info, err := e.Info()
			stale = err == nil && time.Since(info.ModTime()) > staleAge
		}
		if stale {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// running reports whether a process with the given ID exists. Where that
// cannot be asked (Windows), every process counts as running.
func running(pid int) bool {
	if runtime.GOOS == "windows" {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
